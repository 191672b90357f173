using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace SkateBot.Vision.Imaging;

/// <summary>Reads format and dimensions from the header without decoding pixels.</summary>
internal static class ImageIdentification
{
    public static (int Width, int Height, string Format) Identify(byte[] data, string source)
    {
        IImageInfo? info;
        SixLabors.ImageSharp.Formats.IImageFormat? format;
        try
        {
            info = Image.Identify(SupportedFormats.Configuration, data, out format);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The magic number matched but the header is unreadable.
            throw new ImageLoadException(source, ImageIntegrity.Truncated, ex);
        }
        if (info is null || format is null)
        {
            throw new ImageLoadException(source, $"not a supported image ({SupportedFormats.List})");
        }
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageLoadException(source, $"image has invalid dimensions {info.Width}x{info.Height}");
        }
        return SwapsAxes(info)
            ? (info.Height, info.Width, SupportedFormats.NameOf(format))
            : (info.Width, info.Height, SupportedFormats.NameOf(format));
    }

    /// <summary>EXIF orientations 5–8 store the picture rotated by 90°, so it displays transposed.</summary>
    private static bool SwapsAxes(IImageInfo info)
    {
        var value = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation);
        return value is not null && value.Value is >= ExifOrientationMode.LeftTop and <= ExifOrientationMode.LeftBottom;
    }
}
