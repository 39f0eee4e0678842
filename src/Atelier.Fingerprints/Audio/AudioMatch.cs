namespace Atelier.Fingerprints.Audio;

/// <summary>How a suspect recording relates to a registered one. (Same bytes is decided by the catalog.)</summary>
public enum AudioMatchGrade
{
    /// <summary>An excerpt: part of the original, at its own speed and pitch.</summary>
    Partial = 0,

    /// <summary>Sped up, slowed down, time-stretched or pitch-shifted (speed or pitch factor off 1 by more than 1%).</summary>
    Transformed = 1,

    /// <summary>The whole recording, at its own speed and pitch (re-encoding, noise and filtering aside).</summary>
    Exact = 2,
}

/// <summary>One registered recording that a suspect (or a stretch of a long suspect) contains.</summary>
/// <param name="WorkId">The original's id, as given to <see cref="AudioIndex.Add"/>.</param>
/// <param name="Grade">How the suspect relates to the original.</param>
/// <param name="Score">Confidence in 0..1; above <see cref="AudioMatchOptions.MinScore"/> for every reported match.</param>
/// <param name="OriginalStart">Where the matched stretch starts in the original, in seconds.</param>
/// <param name="QueryStart">Where it starts in the suspect, in seconds.</param>
/// <param name="Duration">Length of the matched stretch in the suspect, in seconds.</param>
/// <param name="Speed">Tempo factor: the suspect plays this many times faster than the original (1 = same tempo).</param>
/// <param name="Pitch">Frequency factor: suspect frequencies over original ones (1 = same pitch; 2^(2/12) = two semitones up).</param>
/// <param name="MatchedHashes">Hashes that agreed on the alignment (the evidence behind the score).</param>
public sealed record AudioMatch(
    string WorkId,
    AudioMatchGrade Grade,
    double Score,
    double OriginalStart,
    double QueryStart,
    double Duration,
    double Speed,
    double Pitch,
    int MatchedHashes)
{
    /// <summary>End of the matched stretch in the suspect, in seconds.</summary>
    public double QueryEnd => QueryStart + Duration;

    /// <summary>End of the matched stretch in the original, in seconds.</summary>
    public double OriginalEnd => OriginalStart + (Duration * Speed);

    /// <summary>The pitch factor in semitones (0 = same pitch).</summary>
    public double PitchSemitones => 12 * Math.Log2(Pitch);
}

/// <summary>How <see cref="AudioIndex"/> finds and verifies matches; none of these are stored.</summary>
public sealed record AudioMatchOptions
{
    /// <summary>The defaults, tuned on the dev corpus.</summary>
    public static AudioMatchOptions Default { get; } = new();

    /// <summary>Lowest score reported; chosen so unrelated music does not match (see the evaluation tests).</summary>
    public double MinScore { get; init; } = 0.5;

    /// <summary>Most matches returned for one query (or one segment of a long query).</summary>
    public int MaxResults { get; init; } = 5;

    /// <summary>Length of the segments a long suspect is scanned in, in seconds.</summary>
    public double SegmentSeconds { get; init; } = 10;

    /// <summary>Step between segment starts, in seconds (less than the length: segments overlap).</summary>
    public double SegmentStepSeconds { get; init; } = 5;
}
