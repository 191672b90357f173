using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Tests.Imaging;

/// <summary>Builds small images in memory so the tests need no files from outside the repository.</summary>
internal static class TestImages
{
    public static Image<Rgba32> Solid(int width, int height, Rgba32 colour)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++) rows.GetRowSpan(y).Fill(colour);
        });
        return image;
    }

    /// <summary>Left half <paramref name="left"/>, right half <paramref name="right"/>.</summary>
    public static Image<Rgba32> Halves(int width, int height, Rgba32 left, Rgba32 right)
    {
        var image = Solid(width, height, left);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++) rows.GetRowSpan(y)[(width / 2)..].Fill(right);
        });
        return image;
    }

    /// <summary>Smooth gradients plus noise, so JPEG entropy data is long enough to cut in the middle.</summary>
    public static Image<Rgba32> Photo(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)rng.Next(256));
                }
            }
        });
        return image;
    }

    /// <summary>Like <see cref="Photo"/> but with arithmetic texture instead of a random generator, for large sizes.</summary>
    public static Image<Rgba32> Textured(int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x * 7) ^ (y * 13)));
                }
            }
        });
        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static IImageEncoder EncoderFor(string format) => format switch
    {
        "JPEG" => new JpegEncoder { Quality = 95, ColorType = JpegColorType.YCbCrRatio444 },
        "PNG" => new PngEncoder(),
        "WebP" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        "GIF" => new GifEncoder(),
        "BMP" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        "TIFF" => new TiffEncoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static Rgb24 PixelAt(Image<Rgb24> image, int x, int y)
    {
        Rgb24 pixel = default;
        image.ProcessPixelRows(rows => pixel = rows.GetRowSpan(y)[x]);
        return pixel;
    }

    public static void AssertNear(Rgb24 expected, Rgb24 actual, int tolerance = 3)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance, $"expected about {expected}, got {actual}");
    }
}
