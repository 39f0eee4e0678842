using Atelier.Fingerprints.Text;
using Atelier.Testing;

namespace Atelier.Fingerprints.Tests.Text;

public sealed class TextFingerprintSetTests
{
    private const string Sample = "Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: "
        + "once or twice she had peeped into the book her sister was reading, but it had no pictures or conversations in it. "
        + "子曰：“学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？”";

    /// <summary>
    /// The digest of <see cref="Sample"/>'s set. It pins the normaliser, the hashes, winnowing, MinHash
    /// and the encoding: stored fingerprints depend on all of them, so a change must come with a new
    /// <see cref="TextNormalizer.Version"/> or <see cref="TextFingerprintSet.FormatVersion"/>, never a new golden value.
    /// </summary>
    private const string GoldenDigest = "1c6ad451857a7b455e6e174d146859b1655e23a9541a65bbc088b7307684aa68";

    [Fact]
    public void ToBytes_FromBytes_round_trips_every_field()
    {
        var set = TextFingerprinter.Default.Fingerprint(Sample);
        var copy = TextFingerprintSet.FromBytes(set.ToBytes());
        Assert.Equal(set.Options, copy.Options);
        Assert.Equal(set.NormalizerVersion, copy.NormalizerVersion);
        Assert.Equal(set.Statistics, copy.Statistics);
        Assert.Equal(set.ContentDigest, copy.ContentDigest);
        Assert.Equal(set.Signature.ToArray(), copy.Signature.ToArray());
        Assert.Equal(set.Hashes.ToArray(), copy.Hashes.ToArray());
        Assert.Equal(set.Positions.ToArray(), copy.Positions.ToArray());
        Assert.Equal(set.SourceStarts.ToArray(), copy.SourceStarts.ToArray());
        Assert.Equal(set.SourceLengths.ToArray(), copy.SourceLengths.ToArray());
        Assert.Equal(set.Digest, copy.Digest);
    }

    [Fact]
    public void Digest_of_a_known_text_is_stable()
    {
        var set = TextFingerprinter.Default.Fingerprint(Sample);
        Assert.Equal(GoldenDigest, set.Digest);
        Assert.Equal(set.Digest, TextFingerprinter.Default.Fingerprint(Sample).Digest);
    }

    [Fact]
    public void ToBytes_takes_at_most_twelve_bytes_a_fingerprint_beyond_header_and_signature()
    {
        var corpus = TextCorpus.Load(SharedData.RequireDirectory("data/text/dev"));
        long fingerprintBytes = 0, fingerprints = 0;
        foreach (var doc in corpus.Originals)
        {
            var set = TextFingerprinter.Default.Fingerprint(doc.Text);
            var fixedPart = 80 + (4 * set.Signature.Length);
            var bytes = set.ToBytes().Length;
            Assert.True(bytes <= fixedPart + (12 * set.Count), $"{doc.Id}: {bytes} bytes for {set.Count} fingerprints");
            fingerprintBytes += bytes - fixedPart;
            fingerprints += set.Count;
        }

        // The hash takes eight; the three deltas about one byte each.
        Assert.InRange((double)fingerprintBytes / fingerprints, 10, 12);
    }

    [Fact]
    public void FromBytes_any_truncation_or_corruption_gives_a_clear_error_or_a_valid_set()
    {
        var bytes = TextFingerprinter.Default.Fingerprint(Sample).ToBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => TextFingerprintSet.FromBytes(bytes.AsSpan(0, length)));
            Assert.StartsWith("text fingerprint set", e.Message, StringComparison.Ordinal);
        }

        var random = new Random(7);
        for (var trial = 0; trial < 2000; trial++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                var set = TextFingerprintSet.FromBytes(corrupt);
                Assert.True(set.Count <= bytes.Length / 11);
            }
            catch (InvalidDataException)
            {
            }
        }

        Assert.Throws<InvalidDataException>(() => TextFingerprintSet.FromBytes([.. bytes, 0]));
    }

    [Fact]
    public void FromBytes_another_format_version_is_refused_with_its_number()
    {
        var bytes = TextFingerprinter.Default.Fingerprint(Sample).ToBytes();
        bytes[4] = 9;
        var e = Assert.Throws<InvalidDataException>(() => TextFingerprintSet.FromBytes(bytes));
        Assert.Contains("format 9", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => TextFingerprintSet.FromBytes("NOPE"u8));
    }

    [Fact]
    public void Fingerprint_formatting_changes_keep_every_fingerprint_and_the_content_digest()
    {
        var a = TextFingerprinter.Default.Fingerprint(Sample);
        var b = TextFingerprinter.Default.Fingerprint(Sample.ToUpperInvariant().Replace(",", " ,\n", StringComparison.Ordinal).Replace("：", ":", StringComparison.Ordinal));
        Assert.Equal(a.Hashes.ToArray(), b.Hashes.ToArray());
        Assert.Equal(a.Positions.ToArray(), b.Positions.ToArray());
        Assert.Equal(a.ContentDigest, b.ContentDigest);
        Assert.NotEqual(a.Statistics.SourceLength, b.Statistics.SourceLength);
    }

    [Fact]
    public void Fingerprint_spans_point_at_the_source_text_of_their_grams()
    {
        var options = TextFingerprintOptions.Default;
        var set = TextFingerprinter.Default.Fingerprint(Sample);
        Assert.True(set.Count > 10);
        for (var i = 0; i < set.Count; i++)
        {
            // A gram is five words or seven CJK characters; mixed, the shortest run with at least as
            // many units, a word weighing CjkGram units and a character WordGram.
            var normalized = TextNormalizer.NormalizeToString(Sample.AsSpan(set.SourceStarts[i], set.SourceLengths[i]));
            var cjk = normalized.Count(c => CharFold.IsCjk(c));
            var words = normalized.Split(' ').Count(w => w.Any(c => !CharFold.IsCjk(c)));
            var units = (words * options.CjkGram) + (cjk * options.WordGram);
            var last = CharFold.IsCjk(normalized[^1]) ? options.WordGram : options.CjkGram;
            Assert.InRange(units, options.GramUnits, options.GramUnits + last - 1);
        }

        Assert.Equal(options.WordGram, TextNormalizer.NormalizeToString(Sample.AsSpan(set.SourceStarts[0], set.SourceLengths[0])).Split(' ').Length);
        Assert.Equal(options.CjkGram, TextNormalizer.NormalizeToString(Sample.AsSpan(set.SourceStarts[^1], set.SourceLengths[^1])).Count(c => c != ' '));
    }

    [Fact]
    public void Fingerprint_text_shorter_than_a_gram_has_no_fingerprints_but_a_digest()
    {
        var set = TextFingerprinter.Default.Fingerprint("Too short.");
        Assert.Equal(0, set.Count);
        Assert.True(set.Signature.IsEmpty);
        Assert.Equal(2, set.Statistics.TokenCount);
        Assert.Equal(set.Digest, TextFingerprintSet.FromBytes(set.ToBytes()).Digest);
        Assert.Equal(0, TextFingerprinter.Default.Fingerprint(string.Empty).Statistics.TokenCount);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextFingerprinter(new TextFingerprintOptions { WordGram = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextFingerprinter(new TextFingerprintOptions { Window = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextIndex(matchOptions: new TextMatchOptions { LshBands = 7 }));
    }
}
