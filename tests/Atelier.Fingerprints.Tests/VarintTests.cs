namespace Atelier.Fingerprints.Tests;

/// <summary>The checked varint reader every stored fingerprint format goes through.</summary>
public sealed class VarintTests
{
    [Theory]
    [InlineData(0u)]
    [InlineData(127u)]
    [InlineData(128u)]
    [InlineData(300u)]
    [InlineData(uint.MaxValue)]
    public void TryRead_reads_back_what_Write_wrote(uint value)
    {
        var buffer = new byte[Varint.MaxBytes];
        var end = Varint.Write(buffer, 0, value);
        var offset = 0;

        Assert.Equal(VarintStatus.Ok, Varint.TryRead(buffer.AsSpan(0, end), ref offset, out var read));
        Assert.Equal(value, read);
        Assert.Equal(end, offset);
    }

    [Fact]
    public void TryRead_refuses_truncated_and_overlong_bytes()
    {
        var offset = 0;
        Assert.Equal(VarintStatus.Truncated, Varint.TryRead([0x80, 0x80], ref offset, out _));

        // Six bytes, and five whose last carries bits past 32.
        offset = 0;
        Assert.Equal(VarintStatus.Overlong, Varint.TryRead([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], ref offset, out _));
        offset = 0;
        Assert.Equal(VarintStatus.Overlong, Varint.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0x1F], ref offset, out _));
    }
}
