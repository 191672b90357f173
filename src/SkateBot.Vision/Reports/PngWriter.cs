using SkiaSharp;

namespace SkateBot.Vision.Reports;

/// <summary>Draws onto a white raster of the given size and saves it as PNG, creating the folder if needed.</summary>
internal static class PngWriter
{
    public static void Write(string path, int width, int height, Action<SKCanvas> draw)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"Could not allocate a {width}×{height} drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        draw(surface.Canvas);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        WriteBytes(path, png.AsSpan());
    }

    public static void WriteBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, bytes);
    }
}
