using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

public sealed class ImageLoaderTests : IDisposable
{
    private static readonly Rgb24 Red = new(255, 0, 0);
    private static readonly Rgb24 Blue = new(0, 0, 255);
    private static readonly Rgb24 White = new(255, 255, 255);
    private readonly TempFolder _temp = new();
    private readonly ImageLoader _loader = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("JPEG", "a.jpg")]
    [InlineData("PNG", "a.png")]
    [InlineData("WebP", "a.webp")]
    [InlineData("GIF", "a.gif")]
    [InlineData("BMP", "a.bmp")]
    [InlineData("TIFF", "a.tiff")]
    public void Load_EachSupportedFormat_GivesRgbPixels(string format, string name)
    {
        using var source = TestImages.Halves(40, 30, Color.Red, Color.Blue);
        var path = _temp.Write(name, TestImages.Encode(source, TestImages.EncoderFor(format)));

        using var image = _loader.Load(path);

        Assert.Equal((40, 30), (image.Width, image.Height));
        TestImages.AssertNear(Red, TestImages.PixelAt(image, 5, 15), tolerance: 8);
        TestImages.AssertNear(Blue, TestImages.PixelAt(image, 35, 15), tolerance: 8);
        Assert.Equal((40, 30, format), ImageLoader.Identify(File.ReadAllBytes(path), name));
    }

    [Fact]
    public void Load_ExifOrientation6_TurnsImageUpright()
    {
        // Stored 40x20 with the left half red; orientation 6 means "rotate 90° clockwise to display",
        // so the upright picture is 20x40 with red on top.
        using var stored = TestImages.Halves(40, 20, Color.Red, Color.Blue);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var data = TestImages.Encode(stored, TestImages.EncoderFor("JPEG"));

        using var image = _loader.Load(data, "phone.jpg");

        Assert.Equal((20, 40), (image.Width, image.Height));
        TestImages.AssertNear(Red, TestImages.PixelAt(image, 10, 5), tolerance: 8);
        TestImages.AssertNear(Blue, TestImages.PixelAt(image, 10, 35), tolerance: 8);
        Assert.Equal((20, 40, "JPEG"), _loader.Inspect(data, "phone.jpg"));
    }

    [Fact]
    public void Load_TransparentPng_IsFlattenedOntoWhite()
    {
        // Transparent pixels hold black, which is what a naive RGB conversion would show.
        using var source = TestImages.Halves(20, 10, new Rgba32(0, 0, 0, 0), new Rgba32(255, 0, 0, 128));
        var data = TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });

        using var image = _loader.Load(data, "logo.png");

        Assert.Equal(White, TestImages.PixelAt(image, 2, 5));
        TestImages.AssertNear(new Rgb24(255, 127, 127), TestImages.PixelAt(image, 17, 5), tolerance: 1);
    }

    [Fact]
    public void Load_AnimatedGif_GivesFirstFrame()
    {
        using var gif = TestImages.Solid(16, 16, Color.Red);
        using var second = TestImages.Solid(16, 16, Color.Blue);
        gif.Frames.AddFrame(second.Frames.RootFrame);
        var data = TestImages.Encode(gif, new GifEncoder());
        using (var check = Image.Load(data)) Assert.Equal(2, check.Frames.Count);

        using var image = _loader.Load(data, "anim.gif");

        Assert.Equal(1, image.Frames.Count);
        TestImages.AssertNear(Red, TestImages.PixelAt(image, 8, 8), tolerance: 8);
    }

    [Fact]
    public void Load_Sixteen_Bit_Png_ConvertsToRgb24()
    {
        using var source = new Image<Rgb48>(8, 8, new Rgb48(65535, 32768, 0));
        var data = TestImages.Encode(source, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });

        using var image = _loader.Load(data, "deep.png");

        TestImages.AssertNear(new Rgb24(255, 128, 0), TestImages.PixelAt(image, 3, 3), tolerance: 1);
    }

    [Theory]
    [InlineData("PNG")]
    [InlineData("JPEG")]
    public void Load_Grayscale_ConvertsToEqualChannels(string format)
    {
        using var source = new Image<L8>(8, 8, new L8(100));
        SixLabors.ImageSharp.Formats.IImageEncoder encoder = format == "PNG"
            ? new PngEncoder { ColorType = PngColorType.Grayscale }
            : new JpegEncoder { ColorType = JpegColorType.Luminance };

        using var image = _loader.Load(TestImages.Encode(source, encoder), "grey");

        TestImages.AssertNear(new Rgb24(100, 100, 100), TestImages.PixelAt(image, 4, 4), tolerance: 2);
    }

    [Fact]
    public void Load_PalettePng_ConvertsToRgb24()
    {
        using var source = TestImages.Halves(16, 8, Color.Red, Color.Blue);
        var data = TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Palette });

        using var image = _loader.Load(data, "pal.png");

        TestImages.AssertNear(Blue, TestImages.PixelAt(image, 12, 4), tolerance: 0);
    }

    [Theory]
    // Stored inverted, as Adobe writes CMYK: red is no cyan, full magenta and yellow, no black.
    [InlineData(255, 0, 0, 255, 255, 0, 0)]
    [InlineData(0, 0, 255, 255, 0, 0, 255)]
    [InlineData(255, 255, 255, 0, 0, 0, 0)]
    public void Load_CmykJpeg_ConvertsToRgb24(byte c, byte m, byte y, byte k, byte r, byte g, byte b)
    {
        var data = CmykJpeg.Solid(c, m, y, k);
        Assert.Equal(4, ComponentCount(data));

        using var image = _loader.Load(data, "print.jpg");

        TestImages.AssertNear(new Rgb24(r, g, b), TestImages.PixelAt(image, 4, 4), tolerance: 10);
    }

    [Fact]
    public void Load_Stream_SameAsBytes()
    {
        using var source = TestImages.Photo(30, 20);
        var data = TestImages.Encode(source, new PngEncoder());
        using var stream = new MemoryStream(data);

        using var image = _loader.Load(stream, "upload");

        Assert.Equal((30, 20), (image.Width, image.Height));
    }

    [Fact]
    public void LoadBatch_OneBadFile_KeepsTheGoodOnes()
    {
        using var source = TestImages.Photo(20, 20);
        var good1 = _temp.Write("1.png", TestImages.Encode(source, new PngEncoder()));
        var bad = _temp.Write("2.jpg", ImageLoaderRejectionTests.TruncatedJpeg());
        var good2 = _temp.Write("3.jpg", TestImages.Encode(source, new JpegEncoder()));

        var (loaded, failed) = _loader.LoadBatch([good1, bad, good2]);

        Assert.Equal([good1, good2], loaded.Select(l => l.Path));
        var failure = Assert.Single(failed);
        Assert.Equal("2.jpg: image data is truncated or corrupt", failure.Message);
        Assert.Equal(bad, failure.FilePath);
        foreach (var (_, image) in loaded) image.Dispose();
    }

    /// <summary>Components in the JPEG frame header (SOF0/SOF1/SOF2).</summary>
    private static int ComponentCount(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2) return jpeg[i + 9];
        }
        return -1;
    }
}
