using SkiaSharp;

namespace SkateBot.Vision.Tests.Reports;

/// <summary>Decodes a written report and checks it is a real, non-blank PNG.</summary>
internal static class PngAssert
{
    public static SKBitmap IsNonBlankPng(string path, int minWidth = 200, int minHeight = 150)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using (var codec = SKCodec.Create(path))
        {
            Assert.NotNull(codec);
            Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        }

        var bitmap = SKBitmap.Decode(path);
        Assert.InRange(bitmap.Width, minWidth, 4000);
        Assert.InRange(bitmap.Height, minHeight, 4000);
        Assert.True(Variance(bitmap) > 100, "the image looks blank");
        return bitmap;
    }

    public static double Variance(SKBitmap bitmap)
    {
        double sum = 0, sumSquares = 0;
        var pixels = bitmap.Pixels;
        foreach (var p in pixels)
        {
            double luma = (0.299 * p.Red) + (0.587 * p.Green) + (0.114 * p.Blue);
            sum += luma;
            sumSquares += luma * luma;
        }

        double mean = sum / pixels.Length;
        return (sumSquares / pixels.Length) - (mean * mean);
    }

    /// <summary>Share of pixels in a region that are clearly not white (ink, cells, images).</summary>
    public static double InkShare(SKBitmap bitmap, SKRectI region)
    {
        int ink = 0, total = 0;
        for (int y = region.Top; y < region.Bottom; y++)
        {
            for (int x = region.Left; x < region.Right; x++)
            {
                var p = bitmap.GetPixel(x, y);
                total++;
                ink += p.Red + p.Green + p.Blue < 600 ? 1 : 0;
            }
        }

        return (double)ink / total;
    }
}
