using Atelier.Core;
using Atelier.Testing;

namespace Atelier.Media.Tests.Images;

public sealed class ImageInspectionTests
{
    public static TheoryData<string> DevImages()
    {
        var data = new TheoryData<string>();
        var dir = SharedData.Directory is { } root ? Path.Combine(root, TestFiles.ImagesDev) : null;
        if (dir is null || !Directory.Exists(dir))
        {
            data.Add("(shared data missing)");
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(dir).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DevImages))]
    public async Task InspectAsync_dev_image_is_image_with_sane_size(string name)
    {
        var path = Path.Combine(TestFiles.Shared(TestFiles.ImagesDev), name);

        var result = await TestFiles.Inspector().InspectAsync(path, name, TestContext.Current.CancellationToken);

        Assert.Equal(MediaKind.Image, result.Kind);
        var image = Assert.IsType<ImageMetadata>(result.Metadata.Image);
        var expectedFormat = name.EndsWith(".png", StringComparison.Ordinal) ? "png" : "jpeg";
        Assert.Equal(expectedFormat, image.Format);
        Assert.Equal("image/" + expectedFormat, result.MediaType);
        Assert.InRange(image.Width, 64, 30_000);
        Assert.InRange(image.Height, 64, 30_000);
        Assert.Null(result.Metadata.Audio);
        Assert.Null(result.Metadata.Text);
    }

    [Fact]
    public async Task InspectAsync_exif_photo_reports_camera_orientation_gps_and_capture_time()
    {
        var path = Path.Combine(TestFiles.Shared(TestFiles.ExifRotation), "exif-rotn-6.jpg");

        var result = await TestFiles.Inspector().InspectAsync(path, "photo.jpg", TestContext.Current.CancellationToken);

        var image = result.Metadata.Image!;
        Assert.Equal((4032, 3024), (image.Width, image.Height));
        Assert.Equal("samsung", image.CameraMake);
        Assert.Equal("SM-G930V", image.CameraModel);
        Assert.Equal(6, image.Orientation);
        Assert.True(image.HasGps);
        Assert.NotNull(image.CaptureTime);
        Assert.False(image.CaptureTimeHasOffset);
        Assert.Equal(TimeSpan.Zero, image.CaptureTime.Value.Offset);
        Assert.Equal(new DateTime(2017, 11, 7), image.CaptureTime.Value.Date);
    }

    [Fact]
    public async Task InspectAsync_png_without_exif_has_no_camera_facts()
    {
        var path = TestFiles.Shared(TestFiles.SamplePng);

        var image = (await TestFiles.Inspector().InspectAsync(path, "kodim01.png", TestContext.Current.CancellationToken)).Metadata.Image!;

        Assert.Equal((768, 512), (image.Width, image.Height));
        Assert.Null(image.CameraMake);
        Assert.Null(image.CaptureTime);
        Assert.False(image.HasGps);
    }

    [Fact]
    public async Task InspectAsync_truncated_jpeg_is_corrupt()
    {
        var bytes = await File.ReadAllBytesAsync(TestFiles.Shared(TestFiles.SampleJpeg), TestContext.Current.CancellationToken);

        var error = await TestFiles.RefusalAsync(bytes[..(bytes.Length / 2)], "half.jpg");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Equal("corrupt image: JPEG data ends early (truncated file)", error.Message);
    }

    [Fact]
    public async Task InspectAsync_truncated_png_is_corrupt()
    {
        var bytes = await File.ReadAllBytesAsync(TestFiles.Shared(TestFiles.SamplePng), TestContext.Current.CancellationToken);

        var error = await TestFiles.RefusalAsync(bytes[..(bytes.Length / 2)], "half.png");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Equal("corrupt image: PNG data ends early (truncated file)", error.Message);
    }

    [Fact]
    public async Task InspectAsync_png_declaring_50000_square_is_refused_from_header()
    {
        var bomb = TestFiles.DeclaredSizePng(50_000, 50_000);
        using var temp = new TempDirectory("media");
        var path = temp.Combine("bomb.png");
        File.WriteAllBytes(path, bomb);
        var inspector = TestFiles.Inspector(null);

        // A first refusal pays for one-time start-up (libvips and type loading), which depends on test order.
        await Assert.ThrowsAsync<MediaException>(() => inspector.InspectAsync(path, "bomb.png", TestContext.Current.CancellationToken));

        // Image inspection has no await, so the call runs to its end on this thread before returning its task:
        // this thread's allocation counter, read on both sides with no await between, sees any managed raster.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var refusal = inspector.InspectAsync(path, "bomb.png", TestContext.Current.CancellationToken);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var error = await Assert.ThrowsAsync<MediaException>(() => refusal);

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("50000x50000", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxImageDimension", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16L << 20, $"the refusal must not allocate a raster ({allocated} bytes allocated)");
    }

    [Fact]
    public async Task InspectAsync_png_over_pixel_limit_names_the_limit()
    {
        var error = await TestFiles.RefusalAsync(TestFiles.DeclaredSizePng(20_000, 20_000), "wide.png");

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains("400 megapixels", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxImagePixels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(MediaOptions.MaxImagePixels))]
    [InlineData(nameof(MediaOptions.MaxImageDimension))]
    [InlineData(nameof(MediaOptions.MaxDecodeMemoryBytes))]
    public async Task InspectAsync_real_jpeg_over_configured_limit_is_refused(string limit)
    {
        var options = limit switch
        {
            nameof(MediaOptions.MaxImagePixels) => new MediaOptions { MaxImagePixels = 10_000 },
            nameof(MediaOptions.MaxImageDimension) => new MediaOptions { MaxImageDimension = 100 },
            _ => new MediaOptions { MaxDecodeMemoryBytes = 100_000 },
        };

        var jpeg = await File.ReadAllBytesAsync(TestFiles.Shared(TestFiles.SampleJpeg), TestContext.Current.CancellationToken);

        var error = await TestFiles.RefusalAsync(jpeg, "a.jpg", options);

        Assert.Equal(MediaErrorCode.LimitExceeded, error.Code);
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_random_bytes_named_jpg_is_refused()
    {
        var bytes = new byte[4096];
        new Random(1234).NextBytes(bytes);
        bytes[0] = 0x42; // never a signature byte we know

        var error = await TestFiles.RefusalAsync(bytes, "noise.jpg");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Equal("corrupt image: the file is named .jpg but does not start with a JPEG signature", error.Message);
    }

    [Fact]
    public async Task InspectAsync_jpeg_signature_followed_by_noise_is_corrupt()
    {
        var bytes = new byte[4096];
        new Random(99).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;

        var error = await TestFiles.RefusalAsync(bytes, "noise.jpg");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.StartsWith("corrupt image: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_png_content_named_jpg_is_reported_as_png()
    {
        var result = await TestFiles.Inspector().InspectAsync(TestFiles.Shared(TestFiles.SamplePng), "holiday.jpg", TestContext.Current.CancellationToken);

        Assert.Equal("image/png", result.MediaType);
    }

    [Fact]
    public async Task InspectAsync_chinese_file_name_works()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("作品.png");
        File.Copy(TestFiles.Shared(TestFiles.SamplePng), path);

        var result = await TestFiles.Inspector().InspectAsync(path, "作品.png", TestContext.Current.CancellationToken);

        Assert.Equal(MediaKind.Image, result.Kind);
        Assert.Equal(768, result.Metadata.Image!.Width);
    }

    [Theory]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("tiff")]
    [InlineData("avif")]
    public async Task InspectAsync_other_formats_written_by_libvips_are_recognised(string format)
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("out." + format);
        using (var source = NetVips.Image.Thumbnail(TestFiles.Shared(TestFiles.SamplePng), 200))
        {
            source.WriteToFile(path);
        }

        var result = await TestFiles.Inspector().InspectAsync(path, "upload", TestContext.Current.CancellationToken);

        Assert.Equal(MediaKind.Image, result.Kind);
        Assert.Equal("image/" + format, result.MediaType);
        Assert.Equal((200, 133), (result.Metadata.Image!.Width, result.Metadata.Image.Height));
    }

    [Fact]
    public async Task InspectAsync_bmp_is_decoded()
    {
        using var temp = new TempDirectory("media");
        var path = temp.Combine("gradient.bmp");
        await File.WriteAllBytesAsync(path, TestFiles.Bmp24(37, 21, (x, y) => ((byte)(x * 6), (byte)(y * 12), 128)), TestContext.Current.CancellationToken);

        var result = await TestFiles.Inspector().InspectAsync(path, "gradient.bmp", TestContext.Current.CancellationToken);

        Assert.Equal("image/bmp", result.MediaType);
        Assert.Equal((37, 21), (result.Metadata.Image!.Width, result.Metadata.Image.Height));
    }

    [Fact]
    public async Task InspectAsync_truncated_bmp_is_corrupt()
    {
        var bytes = TestFiles.Bmp24(64, 64, (x, y) => ((byte)x, (byte)y, 0));

        var error = await TestFiles.RefusalAsync(bytes[..(bytes.Length / 2)], "half.bmp");

        Assert.Equal(MediaErrorCode.Corrupt, error.Code);
        Assert.Equal("corrupt image: BMP data ends early (truncated file)", error.Message);
    }
}
