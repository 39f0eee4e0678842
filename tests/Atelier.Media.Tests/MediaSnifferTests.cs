using System.Text;
using Atelier.Core;

namespace Atelier.Media.Tests;

public sealed class MediaSnifferTests
{
    [Theory]
    [InlineData("FFD8FFE000104A464946", ImageFormat.Jpeg)]
    [InlineData("89504E470D0A1A0A0000000D49484452", ImageFormat.Png)]
    [InlineData("474946383961", ImageFormat.Gif)]
    [InlineData("52494646000000005745425056503820", ImageFormat.WebP)]
    [InlineData("49492A0008000000", ImageFormat.Tiff)]
    [InlineData("4D4D002A00000008", ImageFormat.Tiff)]
    [InlineData("424D3600000000000000360000002800000010000000", ImageFormat.Bmp)]
    [InlineData("0000001C667479706176696600000000617669666D696631", ImageFormat.Avif)]
    [InlineData("00000018667479706D69663100000000617669666D696631", ImageFormat.Avif)]
    [InlineData("0000001866747970686569630000000068656963", ImageFormat.Heic)]
    public void Sniff_image_signatures(string hex, ImageFormat format)
    {
        var sniffed = MediaSniffer.Sniff(Convert.FromHexString(hex));

        Assert.Equal(MediaKind.Image, sniffed.Kind);
        Assert.Equal(format, sniffed.Image);
    }

    [Theory]
    [InlineData("494433040000")] // ID3
    [InlineData("664C614300000022")] // fLaC
    [InlineData("4F67675300020000")] // OggS
    [InlineData("524946460000000057415645666D7420")] // RIFF WAVE
    [InlineData("0000002066747970344D412000000000")] // ftyp M4A
    [InlineData("FFFB9064")] // MPEG-1 Layer III frame
    [InlineData("FFF15080")] // ADTS AAC
    [InlineData("1A45DFA3")] // Matroska/WebM
    public void Sniff_audio_containers(string hex)
    {
        Assert.Equal(MediaKind.Audio, MediaSniffer.Sniff(Convert.FromHexString(hex)).Kind);
    }

    [Theory]
    [InlineData("FFFE480069002100")] // UTF-16 LE BOM + "Hi!"
    [InlineData("FEFF00480069")] // UTF-16 BE BOM
    [InlineData("EFBBBF48656C6C6F")] // UTF-8 BOM
    [InlineData("424D20697320612062616E6420")] // "BM is a band " (text starting with BM)
    [InlineData("")]
    public void Sniff_text_is_not_mistaken_for_media(string hex)
    {
        var sniffed = MediaSniffer.Sniff(Convert.FromHexString(hex));

        Assert.Equal(MediaKind.Other, sniffed.Kind);
        Assert.Null(sniffed.KnownOther);
    }

    [Theory]
    [InlineData("%PDF-1.7", "PDF")]
    [InlineData("PK\u0003\u0004", "ZIP")]
    [InlineData("MThd", "MIDI")]
    public void Sniff_known_other_formats_are_named(string start, string name)
    {
        var sniffed = MediaSniffer.Sniff(Encoding.Latin1.GetBytes(start));

        Assert.Equal(MediaKind.Other, sniffed.Kind);
        Assert.Contains(name, sniffed.KnownOther, StringComparison.Ordinal);
    }
}
