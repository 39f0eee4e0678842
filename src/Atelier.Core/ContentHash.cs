using System.Buffers;
using System.Security.Cryptography;

namespace Atelier.Core;

/// <summary>
/// The single pass every blob store makes over incoming content: copy it, take its SHA-256 and
/// enforce a size limit, in constant memory whatever the content's size.
/// </summary>
public static class ContentHash
{
    /// <summary>The pooled buffer each copy reads through.</summary>
    public const int BufferSize = 128 * 1024;

    /// <summary>
    /// Reads <paramref name="source"/> to its end, writing every byte to <paramref name="destination"/>
    /// (when given) and hashing it. Throws <see cref="BlobTooLargeException"/> as soon as more than
    /// <paramref name="maxBytes"/> bytes have been read; the caller discards what was written.
    /// </summary>
    /// <returns>The content's lower-case hex SHA-256 and length.</returns>
    public static async Task<BlobInfo> CopyAsync(Stream source, Stream? destination, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new BlobTooLargeException(maxBytes);
                }

                hash.AppendData(buffer, 0, read);
                if (destination is not null)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
            }

            return new BlobInfo(Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
