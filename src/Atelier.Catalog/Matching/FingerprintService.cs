using System.Globalization;
using Atelier.Core;
using Atelier.Fingerprints.Audio;
using Atelier.Fingerprints.Image;
using Atelier.Fingerprints.Text;
using Atelier.Media;
using Atelier.Media.Audio;
using Atelier.Media.Images;
using Atelier.Media.Text;

namespace Atelier.Catalog.Matching;

/// <summary>
/// Computes a work's fingerprint set from its decoded content (../shared/DESIGN.md "Import", step 3):
/// images get PDQ with its dihedral and frame-trimmed variants plus local features, text gets winnowed
/// passage fingerprints and a MinHash signature, audio gets spectral-peak landmarks from mono PCM at
/// <see cref="AudioFingerprinter.SampleRate"/>.
/// </summary>
/// <param name="media">Decoder limits and tool paths.</param>
/// <param name="maxAudioSeconds">
/// The longest recording fingerprinted (<see cref="AtelierSettings.MaxAudioSeconds"/>). A longer one is refused
/// rather than fingerprinted in part: a registration must cover the whole work it claims, and a scan that
/// silently stopped partway would hide what plays after the cut.
/// </param>
public sealed class FingerprintService(MediaOptions media, double maxAudioSeconds = AtelierSettings.DefaultMaxAudioSeconds)
{
    public const string ImageAlgorithm = "image/v1";
    public const string TextAlgorithm = "text/v1";
    public const string AudioAlgorithm = "audio/v1";

    /// <summary>PDQ squashes to 512×512 upstream; decoding at that size keeps hashes compatible and fast.</summary>
    private const int ImageDecodeSide = 512;

    /// <summary>
    /// Decoding runs this much past the limit, so a file whose container under-reports its length is still
    /// caught by the sample count rather than cut silently.
    /// </summary>
    private const double OverrunSeconds = 1;

    private readonly double _maxAudioSeconds = ValidAudioLimit(media, maxAudioSeconds);

    /// <summary>
    /// Recordings at most this long are decoded together by <see cref="DecodeAudioAsync"/> (eight of them
    /// take at most 230 MB of samples); longer ones are decoded alone, where ffmpeg's start-up hardly counts.
    /// </summary>
    public const double BatchAudioSeconds = 15 * 60;

    /// <summary>The fingerprints of one file, by kind. Throws <see cref="MediaException"/> when it cannot be decoded.</summary>
    public Task<QueryFingerprints> ComputeAsync(string path, string originalFileName, MediaInspection inspection, CancellationToken ct = default) =>
        ComputeAsync(path, originalFileName, inspection, null, ct);

    /// <summary>The fingerprints of one file, by kind, from audio already decoded. Throws <see cref="MediaException"/> when it cannot be decoded.</summary>
    /// <param name="path">The file.</param>
    /// <param name="originalFileName">Its name as the user gave it (text formats are told apart by it).</param>
    /// <param name="inspection">What <see cref="IMediaInspector"/> found.</param>
    /// <param name="decodedAudio">For audio: the file's samples from <see cref="DecodeAudioAsync"/>, if it decoded them (null: decode here).</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task<QueryFingerprints> ComputeAsync(string path, string originalFileName, MediaInspection inspection, AudioDecodeResult? decodedAudio, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        switch (inspection.Kind)
        {
            case MediaKind.Image:
            {
                var (width, height) = UprightSize(inspection.Metadata.Image);
                var rgb = ImageLoader.LoadRgb(path, ImageDecodeSide, applyExifOrientation: true, media);
                var fp = ImageFingerprinter.Compute(rgb.Pixels.Span, rgb.Width, rgb.Height, PixelFormat.Rgb24, width, height);
                return new QueryFingerprints(fp, null, null);
            }

            case MediaKind.Text:
            {
                var loaded = await TextLoader.LoadAsync(path, originalFileName, media, ct).ConfigureAwait(false);
                var analysis = TextFingerprinter.Default.Analyze(loaded.Text);
                return new QueryFingerprints(null, analysis, loaded.Text);
            }

            case MediaKind.Audio:
                return new QueryFingerprints(null, null, null, await ComputeAudioAsync(path, inspection.Metadata.Audio, decodedAudio, ct).ConfigureAwait(false));

            default:
                return new QueryFingerprints(null, null, null);
        }
    }

    /// <summary>
    /// Decodes the audio files among <paramref name="files"/> that are short enough to share ffmpeg runs
    /// (<see cref="BatchAudioSeconds"/>), for <see cref="ComputeAsync(string, string, MediaInspection, AudioDecodeResult?, CancellationToken)"/> to fingerprint; null for the others.
    /// One ffmpeg for several recordings saves its start-up, half the CPU of decoding a song (see
    /// <see cref="AudioBatchDecoder"/>). A file that fails gets its own error, as it would alone.
    /// </summary>
    public async Task<IReadOnlyList<AudioDecodeResult?>> DecodeAudioAsync(IReadOnlyList<(string Path, MediaInspection Inspection)> files, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var results = new AudioDecodeResult?[files.Count];
        var batch = new List<int>();
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i].Inspection is { Kind: MediaKind.Audio, Metadata.Audio: { DurationSeconds: <= BatchAudioSeconds } audio } && audio.DurationSeconds <= _maxAudioSeconds)
            {
                batch.Add(i);
            }
        }

        if (batch.Count < 2)
        {
            return results;
        }

        var decoded = await AudioBatchDecoder.DecodeMonoAsync(
            [.. batch.Select(i => new AudioDecodeRequest(files[i].Path, AudioProbe.Demuxer(files[i].Inspection.Metadata.Audio!)))],
            AudioFingerprinter.SampleRate,
            _maxAudioSeconds + OverrunSeconds,
            media,
            ct).ConfigureAwait(false);
        for (var k = 0; k < batch.Count; k++)
        {
            results[batch[k]] = decoded[k];
        }

        return results;
    }

    private async Task<AudioFingerprint> ComputeAudioAsync(string path, AudioMetadata? meta, AudioDecodeResult? decoded, CancellationToken ct)
    {
        // ffprobe's duration refuses a long file before decoding hours of it; the sample count below
        // catches containers that report no length or a wrong one.
        if (meta is { DurationSeconds: var probed } && probed > _maxAudioSeconds + OverrunSeconds)
        {
            throw TooLong(probed);
        }

        if (decoded?.Error is { } error)
        {
            throw error;
        }

        var samples = decoded?.Samples
            ?? await AudioDecoder.DecodeMonoAsync(path, AudioFingerprinter.SampleRate, _maxAudioSeconds + OverrunSeconds, media, ct).ConfigureAwait(false);
        var seconds = (double)samples.Length / AudioFingerprinter.SampleRate;
        if (seconds > _maxAudioSeconds)
        {
            throw TooLong(null);
        }

        if (samples.Length == 0)
        {
            throw new MediaException(MediaErrorCode.Corrupt, "corrupt audio: no samples could be decoded");
        }

        return AudioFingerprinter.Compute(samples);
    }

    private MediaException TooLong(double? knownSeconds) => new(
        MediaErrorCode.LimitExceeded,
        $"audio too long: {(knownSeconds is { } s ? AudioEvidence.Time(s) + " is" : "it runs")} over the {AudioEvidence.Time(_maxAudioSeconds)} "
        + "limit for fingerprinting (raise ATELIER_MAX_AUDIO_SECONDS, or cut the file)");

    private static double ValidAudioLimit(MediaOptions media, double seconds)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (!double.IsFinite(seconds) || seconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "the audio length limit must be a positive number of seconds");
        }

        // The decoder reserves its whole buffer budget up front: a limit past the decode memory would refuse every file.
        var bytes = (seconds + OverrunSeconds) * AudioFingerprinter.SampleRate * sizeof(float);
        if (bytes > media.MaxDecodeMemoryBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(seconds),
                seconds,
                $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s of audio needs {bytes:0} bytes to decode, over MaxDecodeMemoryBytes ({media.MaxDecodeMemoryBytes})");
        }

        return seconds;
    }

    private static (int Width, int Height) UprightSize(ImageMetadata? meta) =>
        meta is null ? (0, 0) : meta.Orientation is >= 5 and <= 8 ? (meta.Height, meta.Width) : (meta.Width, meta.Height);
}

/// <summary>The fingerprints of one file, ready to store (registration) or to search with (a suspect).</summary>
public sealed record QueryFingerprints(ImageFingerprint? Image, TextAnalysis? Text, string? DecodedText, AudioFingerprint? Audio = null)
{
    /// <summary>True when the file gave at least one fingerprint to search with.</summary>
    public bool Any => Image is not null || Text is not null || Audio is not null;

    /// <summary>The records to store with the work.</summary>
    public IReadOnlyList<FingerprintRecord> ToRecords()
    {
        var records = new List<FingerprintRecord>();
        if (Image is not null)
        {
            records.Add(new FingerprintRecord(FingerprintService.ImageAlgorithm, Image.ToBytes()));
        }

        if (Text is not null)
        {
            records.Add(new FingerprintRecord(FingerprintService.TextAlgorithm, Text.Fingerprints.ToBytes()));
        }

        if (Audio is not null)
        {
            records.Add(new FingerprintRecord(FingerprintService.AudioAlgorithm, Audio.ToBytes()));
        }

        return records;
    }

    /// <summary>The fingerprint set's digests, sorted, for the registration entry.</summary>
    public IReadOnlyList<string> Digests()
    {
        var digests = new List<string>();
        if (Image is not null)
        {
            digests.Add(FingerprintService.ImageAlgorithm + ":" + Image.Digest());
        }

        if (Text is not null)
        {
            digests.Add(FingerprintService.TextAlgorithm + ":" + Text.Fingerprints.Digest);
        }

        if (Audio is not null)
        {
            digests.Add(FingerprintService.AudioAlgorithm + ":" + Audio.Digest());
        }

        return digests;
    }
}
