using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>Camera-like damage so the model cannot lean on perfectly crisp vector edges: blur, JPEG, sensor noise.</summary>
internal static class Degrader
{
    public static SKBitmap Apply(SKBitmap source, Random rng)
    {
        var image = source;
        if (rng.Chance(0.4))
        {
            image = Replace(image, Blur(image, rng.Range(0.4, 1.3)));
        }

        if (rng.Chance(0.4))
        {
            image = Replace(image, JpegRoundTrip(image, rng.Next(25, 75)));
        }

        AddNoise(image, rng, rng.Range(0, 9));
        return image;

        SKBitmap Replace(SKBitmap old, SKBitmap next)
        {
            if (!ReferenceEquals(old, source))
            {
                old.Dispose();
            }

            return next;
        }
    }

    private static SKBitmap Blur(SKBitmap image, float sigma)
    {
        var result = new SKBitmap(image.Info);
        using var canvas = new SKCanvas(result);
        using var filter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp);
        using var paint = new SKPaint { ImageFilter = filter };
        canvas.DrawBitmap(image, 0, 0, paint);
        return result;
    }

    private static SKBitmap JpegRoundTrip(SKBitmap image, int quality)
    {
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        var decoded = SKBitmap.Decode(data) ?? throw new InvalidOperationException("JPEG round trip failed to decode.");
        if (decoded.ColorType == image.ColorType)
        {
            return decoded;
        }

        using (decoded)
        {
            return decoded.Copy(image.ColorType) ?? throw new InvalidOperationException("Colour conversion failed.");
        }
    }

    /// <summary>Gaussian noise per channel; sigma in 0–255 units.</summary>
    private static void AddNoise(SKBitmap image, Random rng, float sigma)
    {
        if (sigma < 0.5f)
        {
            return;
        }

        var pixels = image.GetPixelSpan();
        int bytesPerPixel = image.BytesPerPixel;
        for (int i = 0; i < pixels.Length; i += bytesPerPixel)
        {
            // Three colour channels; the fourth (alpha, always opaque here) is left alone.
            for (int c = 0; c < 3; c++)
            {
                pixels[i + c] = SampleRandom.ClampByte(pixels[i + c] + (rng.Gaussian() * sigma));
            }
        }
    }
}
