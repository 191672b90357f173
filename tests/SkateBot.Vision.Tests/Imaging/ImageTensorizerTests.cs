using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

public sealed class ImageTensorizerTests
{
    [Fact]
    public void ToChwExact_TinyImage_IsPlanarRgbInZeroToOne()
    {
        // 2 wide, 1 high: (255, 0, 51) then (0, 102, 255).
        using var image = new Image<Rgb24>(2, 1);
        image[0, 0] = new Rgb24(255, 0, 51);
        image[1, 0] = new Rgb24(0, 102, 255);

        var chw = ImageTensorizer.ToChwExact(image);

        float[] expected = [1f, 0f, /* G */ 0f, 0.4f, /* B */ 0.2f, 1f];
        Assert.Equal(expected, chw, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void ToChwExact_RowMajorWithinEachPlane()
    {
        using var image = new Image<Rgb24>(2, 2);
        image[0, 0] = new Rgb24(10, 0, 0);
        image[1, 0] = new Rgb24(20, 0, 0);
        image[0, 1] = new Rgb24(30, 0, 0);
        image[1, 1] = new Rgb24(40, 0, 0);

        var red = ImageTensorizer.ToChwExact(image)[..4].Select(v => (int)MathF.Round(v * 255));

        Assert.Equal([10, 20, 30, 40], red);
    }

    [Fact]
    public void ToChw_Landscape_KeepsCentreSquareAfterShorterSideResize()
    {
        // 100x20: red 20 | green 60 | blue 20. Shorter side 20 -> 4 is scale 1/5 (20x4), whose centre
        // 4x4 (source columns 40..60) is green; a squish or a left crop would show red or blue.
        using var image = new Image<Rgb24>(100, 20);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                row[..20].Fill(new Rgb24(255, 0, 0));
                row[20..80].Fill(new Rgb24(0, 255, 0));
                row[80..].Fill(new Rgb24(0, 0, 255));
            }
        });

        var chw = ImageTensorizer.ToChw(image, size: 4);

        Assert.Equal(3 * 4 * 4, chw.Length);
        Assert.All(chw[..16], r => Assert.True(r < 0.05f, $"red {r}"));
        Assert.All(chw[16..32], g => Assert.True(g > 0.95f, $"green {g}"));
        Assert.All(chw[32..], b => Assert.True(b < 0.05f, $"blue {b}"));
    }

    [Fact]
    public void ToChw_DefaultSize_Is224Square()
    {
        using var image = TestImages.Photo(300, 500).CloneAs<Rgb24>();

        var chw = ImageTensorizer.ToChw(image);

        Assert.Equal(3 * 224 * 224, chw.Length);
        Assert.All(chw, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal((300, 500), (image.Width, image.Height)); // input untouched
    }

    [Fact]
    public void ToThumbnailPng_FitsWithinMaxSideKeepingAspect()
    {
        using var image = TestImages.Photo(300, 150).CloneAs<Rgb24>();

        var png = ImageTensorizer.ToThumbnailPng(image, 100);

        Assert.Equal((100, 50, "PNG"), ImageLoader.Identify(png, "thumb.png"));
    }

    [Fact]
    public void NormalizedJpeg_ShrinksToLongestSide512AndDropsMetadata()
    {
        using var image = TestImages.Photo(1024, 700).CloneAs<Rgb24>();
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Model, "SecretCam");
        image.Metadata.ExifProfile.SetValue(ExifTag.GPSLatitude, [new Rational(48), new Rational(8), new Rational(0)]);

        var jpeg = ImageTensorizer.NormalizedJpeg(image);

        Assert.Equal((512, 350, "JPEG"), ImageLoader.Identify(jpeg, "n.jpg"));
        var info = Image.Identify(jpeg);
        Assert.Null(info.Metadata.ExifProfile);
        Assert.Null(info.Metadata.IccProfile);
        Assert.Null(info.Metadata.XmpProfile);
        Assert.Equal(90, info.Metadata.GetJpegMetadata().Quality);
        Assert.NotNull(image.Metadata.ExifProfile); // the caller's image keeps its metadata
    }

    [Fact]
    public void NormalizedJpeg_SmallImage_IsNotEnlarged()
    {
        using var image = TestImages.Photo(100, 80).CloneAs<Rgb24>();

        var jpeg = ImageTensorizer.NormalizedJpeg(image);

        Assert.Equal((100, 80, "JPEG"), ImageLoader.Identify(jpeg, "n.jpg"));
    }

    [Fact]
    public void LoadAndToChw_TwelveMegapixelJpeg_CompletesQuickly()
    {
        // Not a benchmark (shared 2-core CI); a guard against per-pixel slow paths, which take minutes here.
        using var photo = TestImages.Textured(4000, 3000);
        var jpeg = TestImages.Encode(photo, new JpegEncoder { Quality = 85 });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        using var image = new ImageLoader().Load(jpeg, "12mp.jpg");
        var chw = ImageTensorizer.ToChw(image);

        watch.Stop();
        Console.WriteLine($"12 MP JPEG load + ToChw: {watch.ElapsedMilliseconds} ms");
        Assert.Equal(3 * 224 * 224, chw.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
