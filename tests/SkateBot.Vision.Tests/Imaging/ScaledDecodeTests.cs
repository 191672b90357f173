using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

/// <summary>JPEGs decoded at 1/2, 1/4 or 1/8 scale (DCT scaling) when the caller needs less than the full photo.</summary>
public sealed class ScaledDecodeTests
{
    private static readonly Rgb24 Red = new(255, 0, 0);
    private static readonly Rgb24 Blue = new(0, 0, 255);
    private readonly ImageLoader _loader = new();

    private static readonly Lazy<byte[]> Landscape1600 = new(() => Jpeg(Scene(1600, 1200)));

    /// <summary>A photo-like scene: smooth gradients, a few hard-edged shapes, mild noise.</summary>
    internal static Image<Rgb24> Scene(int width, int height, int seed = 7)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    double u = (double)x / width, v = (double)y / height;
                    var inDisc = Math.Pow(u - 0.5, 2) + Math.Pow((v - 0.6) * height / width, 2) < 0.04;
                    var inBar = v is > 0.2 and < 0.3 && u < 0.7;
                    var (r, g, b) = inDisc ? (30.0, 40.0, 200.0) : inBar ? (220.0, 200.0, 30.0) : (255 * u, 180 * v + 40, 120.0);
                    int Noise(double c) => Math.Clamp((int)(c + rng.Next(-10, 11)), 0, 255);
                    row[x] = new Rgb24((byte)Noise(r), (byte)Noise(g), (byte)Noise(b));
                }
            }
        });
        return image;
    }

    internal static byte[] Jpeg(Image image)
    {
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 90 });
        image.Dispose();
        return output.ToArray();
    }

    [Theory]
    [InlineData(224, 224, 400, 300)]   // 1/8 would be 200x150; 1/4 is the smallest with the shorter side >= 224
    [InlineData(336, 224, 800, 600)]   // multi-view need: 1/4's 300 is short of 336, so 1/2
    [InlineData(1, 512, 800, 600)]     // the stored 512 px copy: 1/4's 400 is short, so 1/2
    [InlineData(100, 100, 200, 150)]   // 1/8
    [InlineData(700, 224, 1600, 1200)] // more than 1/2 gives: the full photo
    public void Load_WithNeed_DecodesAtSmallestScaleThatMeetsIt(int shorter, int longer, int width, int height)
    {
        using var loaded = _loader.Load(Landscape1600.Value, "photo.jpg", new DecodeNeed(shorter, longer));

        Assert.Equal((width, height), (loaded.Image.Width, loaded.Image.Height));
        Assert.Equal((1600, 1200, "JPEG"), (loaded.Width, loaded.Height, loaded.Format));
    }

    [Fact]
    public void Load_FullNeed_IsTheSameAsPlainLoad()
    {
        using var loaded = _loader.Load(Landscape1600.Value, "photo.jpg", DecodeNeed.Full);
        using var plain = _loader.Load(Landscape1600.Value, "photo.jpg");

        Assert.Equal((1600, 1200), (loaded.Image.Width, loaded.Image.Height));
        Assert.Equal(TestImages.PixelAt(plain, 800, 600), TestImages.PixelAt(loaded.Image, 800, 600));
    }

    [Fact]
    public void Load_ImageSmallerThanNeed_IsNeverEnlarged()
    {
        using var loaded = _loader.Load(Jpeg(Scene(120, 90)), "small.jpg", new DecodeNeed(224, 224));

        Assert.Equal((120, 90), (loaded.Image.Width, loaded.Image.Height));
    }

    [Fact]
    public void Load_NonJpegWithNeed_DecodesInFull()
    {
        using var scene = Scene(400, 300);
        using var output = new MemoryStream();
        scene.Save(output, new PngEncoder());

        using var loaded = _loader.Load(output.ToArray(), "scan.png", new DecodeNeed(50, 50));

        Assert.Equal((400, 300, "PNG"), (loaded.Image.Width, loaded.Image.Height, loaded.Format));
    }

    [Fact]
    public void Load_ScaledWithExifOrientation6_IsUprightAtTheScaledSize()
    {
        // Stored 800x400, left half red; orientation 6 = rotate 90° clockwise to display: upright 400x800, red on top.
        using var stored = TestImages.Halves(800, 400, Color.Red, Color.Blue);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var data = TestImages.Encode(stored, TestImages.EncoderFor("JPEG"));

        using var loaded = _loader.Load(data, "phone.jpg", new DecodeNeed(100, 100));

        Assert.Equal((100, 200), (loaded.Image.Width, loaded.Image.Height)); // 1/4 of 800x400, turned
        Assert.Equal((400, 800), (loaded.Width, loaded.Height));
        TestImages.AssertNear(Red, TestImages.PixelAt(loaded.Image, 50, 20), tolerance: 8);
        TestImages.AssertNear(Blue, TestImages.PixelAt(loaded.Image, 50, 180), tolerance: 8);
        Assert.Null(loaded.Image.Metadata.ExifProfile);
    }

    [Theory]
    [InlineData(InputViews.Crop)]
    [InlineData(InputViews.Pad)]
    [InlineData(InputViews.Multi)]
    public void Views_FromScaledDecode_MatchTheFullDecode(string mode)
    {
        using var full = _loader.Load(Landscape1600.Value, "photo.jpg");
        using var scaled = _loader.Load(Landscape1600.Value, "photo.jpg", InputViews.Need(mode));

        var a = InputViews.Make(full, mode);
        var b = InputViews.Make(scaled.Image, mode);

        Assert.Equal(a.Length, b.Length);
        for (var v = 0; v < a.Length; v++)
        {
            var meanAbs = a[v].Zip(b[v], (p, q) => Math.Abs(p - q)).Average();
            Assert.True(meanAbs < 0.02, $"{mode} view {v}: mean |full − scaled| = {meanAbs:F4} (0..1 scale)");
        }
    }

    [Fact]
    public void Need_OfMultiViews_CoversTheLowerSquareOfALandscapePhoto()
    {
        // The lower square of a landscape photo has side ⅔·height; at 224 that needs height >= 336.
        Assert.Equal(new DecodeNeed(336, 224), InputViews.Need(InputViews.Multi));
        Assert.Equal(new DecodeNeed(224, 224), InputViews.Need(InputViews.Crop));
        Assert.Equal(new DecodeNeed(336, 512), InputViews.Need(InputViews.Multi).And(ImageTensorizer.StoredCopyNeed(512)));
    }
}
