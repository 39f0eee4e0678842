using System.IO.Compression;
using System.IO.Hashing;
using System.Xml;

namespace Atelier.Media.Text;

/// <summary>
/// Read-only access to the ZIP container of an EPUB or DOCX (PKWARE APPNOTE 6.3.x §4.3: local headers and the
/// central directory, read through the BCL's <see cref="ZipArchive"/>), under limits against zip bombs. The
/// central directory's counts and sizes are checked before anything is inflated, and the bytes really inflated
/// are counted while reading, because a hostile header can lie about them: an entry that holds more or fewer
/// bytes than its header declares, or whose bytes fail the header's CRC-32 (§4.4.7), is refused as corrupt.
/// Entry names are only ever looked up inside the archive: nothing is written to disk.
/// </summary>
internal sealed class ZipContainer : IDisposable
{
    /// <summary>What a ZIP archive that holds no EPUB or DOCX is called in the refusal ("unsupported file type: ...").</summary>
    public const string PlainZipDescription = "a ZIP archive (only EPUB and DOCX documents are read from ZIP containers)";

    /// <summary>Entries smaller than this escape the ratio check: they cannot inflate to much whatever their ratio.</summary>
    private const long RatioExemptBytes = 64 * 1024;

    private readonly ZipArchive _archive;
    private readonly MediaOptions _options;
    private long _inflated;

    private ZipContainer(ZipArchive archive, MediaOptions options)
    {
        _archive = archive;
        _options = options;
    }

    /// <summary>Whether a file starts with a local file header (PK\x03\x04).</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head) => head.StartsWith("PK\x03\x04"u8);

    /// <summary>Reads the central directory; null when it is not a readable ZIP archive.</summary>
    public static ZipContainer? TryOpen(string path, MediaOptions options)
    {
        var file = MediaFile.OpenRead(path);
        try
        {
            // MediaFile opens unbuffered; the central directory is parsed in small reads.
            var archive = new ZipArchive(new BufferedStream(file, 64 * 1024), ZipArchiveMode.Read, leaveOpen: false);
            _ = archive.Entries.Count;
            return new ZipContainer(archive, options);
        }
        catch (InvalidDataException)
        {
            file.Dispose();
            return null;
        }
        catch (IOException ex)
        {
            file.Dispose();
            throw MediaFile.Unreadable(path, ex);
        }
    }

    /// <summary>The entry with exactly this name, or null.</summary>
    public ZipArchiveEntry? Find(string name) => _archive.GetEntry(name);

    /// <summary>The file entries (not folders) sorted by name in ordinal order.</summary>
    public IEnumerable<ZipArchiveEntry> FilesByName() =>
        _archive.Entries.Where(entry => !entry.FullName.EndsWith('/')).OrderBy(entry => entry.FullName, StringComparer.Ordinal);

    /// <summary>
    /// Refuses the container when its central directory declares more entries, more uncompressed bytes in all,
    /// or a higher compression ratio for one entry than <see cref="MediaOptions"/> allows. Nothing is inflated.
    /// </summary>
    public void CheckLimits(string format)
    {
        var entries = _archive.Entries;
        if (entries.Count > _options.MaxZipEntries)
        {
            throw Limit($"{format} has too many entries: {entries.Count} exceeds the limit of {_options.MaxZipEntries} (MaxZipEntries)");
        }

        var total = 0L;
        foreach (var entry in entries)
        {
            if (entry.Length > _options.MaxZipUncompressedBytes - total)
            {
                throw Limit($"{format} is too large uncompressed: its entries declare more than the limit of {_options.MaxZipUncompressedBytes} bytes (MaxZipUncompressedBytes)");
            }

            total += entry.Length;
            if (entry.Length > RatioExemptBytes && entry.Length / Math.Max(entry.CompressedLength, 1) >= _options.MaxZipCompressionRatio)
            {
                throw Limit(
                    $"{format} entry '{Printable(entry.FullName)}' is compressed {entry.Length / Math.Max(entry.CompressedLength, 1)}:1, "
                    + $"over the limit of {_options.MaxZipCompressionRatio}:1 (MaxZipCompressionRatio); refused as a possible zip bomb");
            }
        }
    }

    /// <summary>The whole entry, inflated under the limits; <paramref name="maxBytes"/> caps it further (a marker file).</summary>
    public byte[] ReadAll(ZipArchiveEntry entry, long maxBytes = long.MaxValue)
    {
        using var stream = Open(entry);
        using var buffer = new MemoryStream((int)Math.Min(entry.Length, 1 << 20));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// An XML reader over the entry that refuses DTDs and resolves nothing outside the document (no external
    /// entities, no network or file access).
    /// </summary>
    public XmlReader OpenXml(ZipArchiveEntry entry)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            CloseInput = true,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        return XmlReader.Create(Open(entry), settings);
    }

    public void Dispose() => _archive.Dispose();

    /// <summary>A corrupt-container refusal for <paramref name="format"/> ("EPUB", "DOCX").</summary>
    public static MediaException Corrupt(string format, string detail, Exception? inner = null) =>
        new(MediaErrorCode.Corrupt, $"corrupt {format}: {detail}", inner);

    /// <summary>An entry name fit for a message: control characters replaced, at most 80 characters.</summary>
    private static string Printable(string name)
    {
        var chars = name.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray();
        return new string(chars) + (name.Length > 80 ? "..." : string.Empty);
    }

    private static MediaException Limit(string message) => new(MediaErrorCode.LimitExceeded, message);

    private Stream Open(ZipArchiveEntry entry)
    {
        var opened = entry.Open();

        // The BCL's deflate stream ends at the size the header declares, so an entry whose header understates it
        // would come out cut short, unnoticed. Its compressed bytes are inflated here instead, by a stream that
        // stops only where they do, so that the counter below sees every byte the entry really holds. (Stored
        // entries come as the raw bytes already; any other method stays with the BCL, and the CRC-32 check then
        // catches a cut.)
        return opened is DeflateStream deflate
            ? new CountingStream(new DeflateStream(deflate.BaseStream, CompressionMode.Decompress, leaveOpen: true), opened, entry, this)
            : new CountingStream(opened, opened, entry, this);
    }

    /// <summary>
    /// Counts inflated bytes as they are read and stops as soon as an entry yields more than its header declared
    /// (a lying header, the classic bomb) or the container more than <see cref="MediaOptions.MaxZipUncompressedBytes"/>;
    /// at the end of the entry, checks that it held as many bytes as declared and that they match the CRC-32.
    /// </summary>
    /// <param name="inner">The entry's uncompressed bytes.</param>
    /// <param name="opened">What <see cref="ZipArchiveEntry.Open"/> returned, disposed with this stream.</param>
    /// <param name="entry">The entry, whose declared size and CRC-32 the bytes must match.</param>
    /// <param name="owner">The container, which counts what all its entries inflate.</param>
    private sealed class CountingStream(Stream inner, Stream opened, ZipArchiveEntry entry, ZipContainer owner) : Stream
    {
        private readonly Crc32 _crc = new();
        private long _read;
        private bool _checked;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _read += read;
            owner._inflated += read;
            if (_read > entry.Length)
            {
                throw Corrupt("ZIP container", $"entry '{Printable(entry.FullName)}' inflates to more than the {entry.Length} bytes its header declares");
            }

            if (owner._inflated > owner._options.MaxZipUncompressedBytes)
            {
                throw Limit($"ZIP container inflates to more than the limit of {owner._options.MaxZipUncompressedBytes} bytes (MaxZipUncompressedBytes)");
            }

            _crc.Append(buffer[..read]);
            if (read == 0 && buffer.Length > 0 && !_checked)
            {
                _checked = true;
                CheckEnd();
            }

            return read;
        }

        /// <summary>The whole entry has been read: it must be as long as declared and match its CRC-32.</summary>
        private void CheckEnd()
        {
            if (_read < entry.Length)
            {
                throw Corrupt("ZIP container", $"entry '{Printable(entry.FullName)}' holds {_read} bytes, fewer than the {entry.Length} its header declares");
            }

            var crc = _crc.GetCurrentHashAsUInt32();
            if (crc != entry.Crc32)
            {
                throw Corrupt("ZIP container", $"entry '{Printable(entry.FullName)}' fails its CRC-32 check (computed {crc:x8}, the header says {entry.Crc32:x8})");
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                opened.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
