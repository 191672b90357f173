using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// JPEG decoding through Skia's codec (libjpeg-turbo, fuzzed continuously in OSS-Fuzz), optionally at 1/2, 1/4 or 1/8
/// scale via DCT scaling: a 12 MP photo needed at 224 px costs a fraction of a full decode and never exists in full
/// in memory. The result is upright (EXIF orientation applied with the same ImageSharp step as every other format)
/// and opaque RGB.
/// </summary>
internal static class SkiaJpegDecoding
{
    /// <summary>Scales tried, smallest first; libjpeg-turbo has SIMD IDCTs for these (3/8, 5/8… would be plain C).</summary>
    private static readonly int[] Eighths = [1, 2, 4];

    public static Image<Rgb24> Decode(byte[] data, string source, DecodeNeed need)
    {
        using var skData = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(skData)
            ?? throw new ImageLoadException(source, $"{ImageIntegrity.Truncated} (the JPEG decoder cannot read it)");
        var size = ChooseSize(codec.Info.Width, codec.Info.Height, need, codec.GetScaledDimensions);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[info.BytesSize];
        var result = codec.GetPixels(info, rgba);
        if (result != SKCodecResult.Success)
        {
            throw new ImageLoadException(source, $"{ImageIntegrity.Truncated} (JPEG decoder: {result})");
        }
        var image = ToRgb24(rgba, size.Width, size.Height);
        try
        {
            Orient(image, codec.EncodedOrigin);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The smallest supported scale whose result still meets <paramref name="need"/> (orientation does not change which
    /// side is shorter); the full size when none does.
    /// </summary>
    internal static SKSizeI ChooseSize(int width, int height, DecodeNeed need, Func<float, SKSizeI> scaled)
    {
        if (!need.IsFull)
        {
            foreach (var eighths in Eighths)
            {
                var size = scaled(eighths / 8f);
                if (size.Width > 0 && size.Height > 0 && need.IsMetBy(size.Width, size.Height)) return size;
            }
        }
        return new SKSizeI(width, height);
    }

    private static Image<Rgb24> ToRgb24(byte[] rgba, int width, int height)
    {
        var image = new Image<Rgb24>(SupportedFormats.Configuration, width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var src = rgba.AsSpan(y * width * 4, width * 4);
                for (var x = 0; x < row.Length; x++) row[x] = new Rgb24(src[4 * x], src[4 * x + 1], src[4 * x + 2]);
            }
        });
        return image;
    }

    /// <summary>Skia reports the EXIF orientation (its values are EXIF's 1–8); ImageSharp's AutoOrient applies it.</summary>
    private static void Orient(Image<Rgb24> image, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || (int)origin is < 1 or > 8) return;
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)origin);
        image.Mutate(x => x.AutoOrient());
        image.Metadata.ExifProfile = null;
    }
}
