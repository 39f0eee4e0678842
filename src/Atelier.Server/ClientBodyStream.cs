namespace Atelier.Server;

/// <summary>
/// A read-only view of a request body that turns the reader's I/O errors (a multipart body cut short,
/// a malformed section) into <see cref="InvalidDataException"/>, so the endpoint answers 400 for the
/// client's mistake while real disk errors on our side still surface as server errors. Kestrel's own
/// <see cref="BadHttpRequestException"/> (413 body too large, for one) passes through untouched.
/// </summary>
internal sealed class ClientBodyStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw new InvalidDataException("the request body is malformed or ended early: " + ex.Message, ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous reads block the server");
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
