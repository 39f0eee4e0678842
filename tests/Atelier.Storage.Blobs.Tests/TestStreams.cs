namespace Atelier.Storage.Blobs.Tests;

/// <summary>A read-only stream that cannot seek or tell its length, like a network body.</summary>
internal abstract class ForwardOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    /// <summary>How many bytes have been read.</summary>
    protected long Consumed { get; set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }
}

/// <summary>
/// A forward-only stream of <c>length</c> pseudo-random bytes computed from their position, so a
/// large upload can be tested without holding it in memory. Reads return odd-sized chunks, as a
/// network stream does.
/// </summary>
internal sealed class GeneratedStream(long length, ulong seed) : ForwardOnlyStream
{
    private const int MaxChunk = 100_003;

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(Math.Min(buffer.Length, MaxChunk), length - Consumed);
        // Byte at position p is byte (p mod 8) of SplitMix(seed ^ p / 8): one mix per 8 bytes.
        for (var i = 0; i < n;)
        {
            var at = (ulong)(Consumed + i);
            var word = SplitMix(seed ^ (at >> 3));
            for (var b = (int)(at & 7); b < 8 && i < n; b++, i++)
            {
                buffer[i] = (byte)(word >> (b * 8));
            }
        }

        Consumed += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    // SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014).
    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}

/// <summary>
/// Serves <c>content</c> up to <c>failAfter</c> bytes, then runs <c>fail</c> (which throws, or
/// cancels the put's token): an upload cut off midway.
/// </summary>
internal sealed class InterruptedStream(byte[] content, int failAfter, Action fail) : ForwardOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        if (Consumed >= failAfter)
        {
            fail();
        }

        var n = (int)Math.Min(buffer.Length, Math.Min(failAfter, content.Length) - Consumed);
        content.AsSpan((int)Consumed, n).CopyTo(buffer);
        Consumed += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = Read(buffer.Span);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(n);
    }
}
