using System.Globalization;

namespace SkateBot.Vision.Imaging;

/// <summary>Human-readable sizes for error messages (invariant culture, so logs read the same everywhere).</summary>
internal static class Units
{
    public static string Megapixels(long pixels) =>
        (pixels / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " MP";

    /// <summary>"40 MP" for the default; small test limits read as a plain pixel count.</summary>
    public static string PixelLimit(long pixels) => pixels >= 100_000
        ? (pixels / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + " MP"
        : pixels.ToString(CultureInfo.InvariantCulture) + "-pixel";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
