using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Imaging;

/// <summary>Decodes checked bytes into an upright, single-frame, opaque Rgb24 image.</summary>
internal static class ImageDecoding
{
    /// <summary>
    /// JPEG goes through Skia's codec, scaled down by DCT scaling as far as <paramref name="need"/> allows; the other
    /// formats decode in full through ImageSharp (none of them can be decoded at a reduced size).
    /// </summary>
    public static Image<Rgb24> Decode(byte[] data, string format, string source, DecodeNeed need)
    {
        try
        {
            if (!SupportedFormats.MayHaveAlpha(format))
            {
                // JPEG (including CMYK/YCCK and grayscale) converts to RGB inside the decoder.
                return SkiaJpegDecoding.Decode(data, source, need);
            }
            using var rgba = Image.Load<Rgba32>(SupportedFormats.Configuration, data);
            using var upright = Finish(rgba);
            return FlattenOntoWhite(upright);
        }
        catch (Exception ex) when (ex is not (ImageLoadException or OutOfMemoryException))
        {
            throw new ImageLoadException(source, $"{ImageIntegrity.Truncated} ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Applies EXIF orientation and keeps the first frame. Returns <paramref name="image"/> itself when
    /// it has one frame, otherwise a new image (and disposes the original).
    /// </summary>
    private static Image<TPixel> Finish<TPixel>(Image<TPixel> image) where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            image.Mutate(x => x.AutoOrient());
            if (image.Frames.Count == 1) return image;
            var first = image.Frames.CloneFrame(0);
            image.Dispose();
            return first;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Composites onto white with straight alpha: out = a·c + (1 − a)·255. Fully transparent pixels
    /// often hold black (or arbitrary) colour, which would otherwise leak into the model input.
    /// </summary>
    private static Image<Rgb24> FlattenOntoWhite(Image<Rgba32> source)
    {
        var target = new Image<Rgb24>(SupportedFormats.Configuration, source.Width, source.Height);
        source.ProcessPixelRows(target, (src, dst) =>
        {
            for (var y = 0; y < src.Height; y++)
            {
                var s = src.GetRowSpan(y);
                var d = dst.GetRowSpan(y);
                for (var x = 0; x < s.Length; x++)
                {
                    var p = s[x];
                    if (p.A == 255) { d[x] = new Rgb24(p.R, p.G, p.B); continue; }
                    var white = 255 - p.A;
                    d[x] = new Rgb24(
                        (byte)((p.R * p.A + 255 * white + 127) / 255),
                        (byte)((p.G * p.A + 255 * white + 127) / 255),
                        (byte)((p.B * p.A + 255 * white + 127) / 255));
                }
            }
        });
        return target;
    }
}
