using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;

namespace SkateBot.Vision.Imaging;

/// <summary>The ImageSharp configuration the project decodes with, and the canonical format names.</summary>
internal static class SupportedFormats
{
    public const string List = "JPEG, PNG, WebP, GIF, BMP, TIFF";

    /// <summary>
    /// Only the six formats photos arrive in. TGA and PBM are left out on purpose: TGA has no magic
    /// number, so arbitrary bytes (a text file) could be identified as one. GIF and TIFF decode only
    /// their first frame, so a many-frame file cannot multiply the memory the pixel limit allows.
    /// </summary>
    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule(),
            new GifConfigurationModule(), new BmpConfigurationModule(), new TiffConfigurationModule());
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }

    public static string NameOf(IImageFormat format) => format switch
    {
        JpegFormat => "JPEG",
        PngFormat => "PNG",
        WebpFormat => "WebP",
        GifFormat => "GIF",
        BmpFormat => "BMP",
        TiffFormat => "TIFF",
        _ => format.Name,
    };

    /// <summary>JPEG cannot carry alpha, so it decodes straight to RGB; every other format may.</summary>
    public static bool MayHaveAlpha(string formatName) => formatName != "JPEG";
}
