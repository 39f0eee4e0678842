using Atelier.Fingerprints.Audio;

namespace Atelier.Catalog.Matching;

/// <summary>
/// One stretch of a long suspect's timeline where a registered recording plays: from–to in the suspect and
/// in the original (seconds), the speed and pitch factors (suspect over original) and the stretch's score.
/// </summary>
public sealed record AudioSegmentEvidence(double QueryStart, double QueryEnd, double OriginalStart, double OriginalEnd, double Speed, double Pitch, double Score)
{
    /// <summary><see cref="Pitch"/> in semitones (0 = same pitch).</summary>
    public double PitchSemitones => Math.Round(12 * Math.Log2(Pitch), 2);
}

/// <summary>
/// Turns <see cref="AudioIndex"/> answers into match evidence: one entry per recording (its best stretch),
/// and for a long suspect the timeline of every stretch where it plays.
/// </summary>
public static class AudioEvidence
{
    /// <summary>
    /// Suspects up to this long are matched whole; longer ones (a mix, a broadcast) are scanned in segments
    /// into a timeline, since one alignment cannot describe several recordings played one after another.
    /// </summary>
    public const double LongQuerySeconds = 60;

    /// <summary>
    /// The recordings in <paramref name="index"/> that <paramref name="query"/> holds, once each with its
    /// best-scoring stretch, and with every stretch in query order when the query was long enough to scan.
    /// </summary>
    public static IEnumerable<(AudioMatch Best, IReadOnlyList<AudioMatch>? Timeline)> Find(AudioIndex index, AudioFingerprint query)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(query);
        var scanned = query.DurationSeconds > LongQuerySeconds;
        var matches = scanned ? index.Scan(query) : index.Match(query);
        return matches
            .GroupBy(m => m.WorkId, StringComparer.Ordinal)
            .Select(g => (g.MaxBy(m => m.Score)!, scanned ? (IReadOnlyList<AudioMatch>?)[.. g.OrderBy(m => m.QueryStart)] : null));
    }

    /// <summary>
    /// The same finding seen from the other side: the index answered with the registered work as the query and
    /// a kept suspect as the "original" (the rescan), so times, speed and pitch are turned round.
    /// </summary>
    public static AudioMatch Swap(AudioMatch m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m with { OriginalStart = m.QueryStart, QueryStart = m.OriginalStart, Duration = m.Duration * m.Speed, Speed = 1 / m.Speed, Pitch = 1 / m.Pitch };
    }

    /// <summary>The evidence fields of a match (times in seconds to the millisecond).</summary>
    public static MatchEvidence Describe(AudioMatch best, IReadOnlyList<AudioMatch>? timeline, DateTimeOffset registeredAt)
    {
        ArgumentNullException.ThrowIfNull(best);
        return new MatchEvidence
        {
            OriginalStart = Seconds(best.OriginalStart),
            QueryStart = Seconds(best.QueryStart),
            Duration = Seconds(best.Duration),
            Speed = Factor(best.Speed),
            Pitch = Factor(best.Pitch),
            PitchSemitones = Math.Round(best.PitchSemitones, 2),
            MatchedHashes = best.MatchedHashes,
            Segments = timeline?.Select(m => new AudioSegmentEvidence(
                Seconds(m.QueryStart), Seconds(m.QueryEnd), Seconds(m.OriginalStart), Seconds(m.OriginalEnd), Factor(m.Speed), Factor(m.Pitch), Math.Round(m.Score, 4))).ToList(),
            RegisteredAt = registeredAt,
        };
    }

    /// <summary>The wire grade. A whole recording at its own speed and pitch is `exact` (issue 5), like same bytes.</summary>
    public static string Grade(AudioMatchGrade grade) => grade switch
    {
        AudioMatchGrade.Exact => "exact",
        AudioMatchGrade.Transformed => "transformed",
        _ => "partial",
    };

    /// <summary>
    /// A short human line for people (CLI, HTML report): "at 1:02.3 in the original, 0:00.0–0:10.0 of the
    /// suspect, speed 105%, pitch +0.0 st"; null when the evidence is not audio.
    /// </summary>
    public static string? Text(MatchEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence is not { OriginalStart: { } original, QueryStart: { } start, Duration: { } duration })
        {
            return null;
        }

        return $"at {Time(original)} in the original, {Span(start, start + duration)} of the suspect"
            + (evidence.Speed is { } speed ? $", speed {Speed(speed)}" : "")
            + (evidence.PitchSemitones is { } semitones ? $", pitch {Semitones(semitones)}" : "");
    }

    /// <summary>Every stretch of every matched recording in a long suspect, in suspect order: its timeline.</summary>
    public static IReadOnlyList<(AudioSegmentEvidence Segment, MatchResult Match)> Timeline(IEnumerable<MatchResult> matches) =>
        [.. (matches ?? []).SelectMany(m => (m.Evidence.Segments ?? []).Select(s => (s, m))).OrderBy(x => x.s.QueryStart).ThenBy(x => x.m.WorkId, StringComparer.Ordinal)];

    /// <summary>"0:00.0–0:10.0".</summary>
    public static string Span(double from, double to) => Time(from) + "–" + Time(to);

    /// <summary>m:ss.s, or h:mm:ss.s from an hour on.</summary>
    public static string Time(double seconds)
    {
        var tenths = (long)Math.Round(Math.Max(0, seconds) * 10, MidpointRounding.AwayFromZero);
        var (h, m, s) = (tenths / 36_000, tenths / 600 % 60, tenths % 600 / 10.0);
        return h > 0 ? FormattableString.Invariant($"{h}:{m:00}:{s:00.0}") : FormattableString.Invariant($"{m}:{s:00.0}");
    }

    /// <summary>A speed factor as a percentage: 1.05 is "105%".</summary>
    public static string Speed(double factor) => FormattableString.Invariant($"{factor * 100:0.#}%");

    /// <summary>Signed semitones: "+2.0 st", "-0.5 st"; anything that rounds to zero is "+0.0 st".</summary>
    public static string Semitones(double semitones) => semitones.ToString("+0.0;-0.0;+0.0", System.Globalization.CultureInfo.InvariantCulture) + " st";

    private static double Seconds(double s) => Math.Round(s, 3);

    private static double Factor(double f) => Math.Round(f, 4);
}
