using System.Globalization;
using SkiaSharp;

namespace SkateBot.Vision.Reports;

/// <summary>
/// Grid of the images with the highest loss, each captioned predicted / actual / probability / loss, like
/// fast.ai's ClassificationInterpretation.plot_top_losses.
/// </summary>
internal static class TopLossesImage
{
    public const int MaxItems = 16, MaxColumns = 8;

    // Thumbnails are the caller's; refuse to expand anything bigger than 40 MP into memory.
    private const long MaxPixels = 40_000_000;
    private const float Margin = 20, Gap = 16, Tile = 200;
    private static readonly SKColor Ink = new(30, 30, 30), Wrong = new(190, 30, 30), Muted = new(100, 100, 100);

    public static void Write(string path, IReadOnlyList<TopLossItem> items, int columns)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, MaxColumns);
        if (items.Any(i => i is null))
        {
            throw new ArgumentException("Items must not contain null entries.", nameof(items));
        }

        using var titleFont = ReportFonts.Create(18, bold: true);
        using var subtitleFont = ReportFonts.Create(12);
        using var captionFont = ReportFonts.Create(13);
        float header = Margin + ReportText.LineHeight(titleFont) + ReportText.LineHeight(subtitleFont) + Gap;

        if (items.Count == 0)
        {
            const float EmptyWidth = 520, EmptyHeight = 220;
            PngWriter.Write(path, (int)EmptyWidth, (int)EmptyHeight, canvas =>
            {
                DrawHeader(canvas, EmptyWidth, "No misclassified or high-loss images to show.", titleFont, subtitleFont);
                using var big = ReportFonts.Create(22, bold: true);
                ReportText.DrawCentred(canvas, "no errors", EmptyWidth / 2, (header + EmptyHeight) / 2, SKTextAlign.Center, big, Muted, EmptyWidth);
            });
            return;
        }

        // Highest loss first, then the first MaxItems; the subtitle says how many were left out.
        var shown = items.Select((item, index) => (item, index))
            .OrderByDescending(p => double.IsNaN(p.item.Loss) ? double.NegativeInfinity : p.item.Loss)
            .ThenBy(p => p.index)
            .Take(MaxItems)
            .Select(p => p.item)
            .ToList();
        int cols = Math.Min(columns, shown.Count);
        int rows = (shown.Count + cols - 1) / cols;
        float captionHeight = (3 * ReportText.LineHeight(captionFont)) + 6;
        float cellHeight = Tile + captionHeight;
        float width = Math.Max((2 * Margin) + (cols * Tile) + ((cols - 1) * Gap), 520);
        float height = header + (rows * cellHeight) + ((rows - 1) * Gap) + Margin;
        string subtitle = shown.Count < items.Count
            ? $"predicted / actual / probability / loss: highest {shown.Count} of {items.Count}"
            : "predicted / actual / probability / loss";

        PngWriter.Write(path, (int)Math.Ceiling(width), (int)Math.Ceiling(height), canvas =>
        {
            DrawHeader(canvas, width, subtitle, titleFont, subtitleFont);
            float gridLeft = (width - ((cols * Tile) + ((cols - 1) * Gap))) / 2;
            for (int i = 0; i < shown.Count; i++)
            {
                float x = gridLeft + ((i % cols) * (Tile + Gap));
                float y = header + ((i / cols) * (cellHeight + Gap));
                DrawItem(canvas, shown[i], x, y, captionFont);
            }
        });
    }

    private static void DrawHeader(SKCanvas canvas, float width, string subtitle, SKFont titleFont, SKFont subtitleFont)
    {
        float titleY = Margin + (ReportText.LineHeight(titleFont) / 2);
        ReportText.DrawCentred(canvas, "Top losses", width / 2, titleY, SKTextAlign.Center, titleFont, Ink, width - (2 * Margin));
        float subY = Margin + ReportText.LineHeight(titleFont) + (ReportText.LineHeight(subtitleFont) / 2);
        ReportText.DrawCentred(canvas, subtitle, width / 2, subY, SKTextAlign.Center, subtitleFont, Muted, width - (2 * Margin));
    }

    private static void DrawItem(SKCanvas canvas, TopLossItem item, float x, float y, SKFont font)
    {
        var box = SKRect.Create(x, y, Tile, Tile);
        using var paint = new SKPaint { IsAntialias = true };
        using var bitmap = TryDecode(item.ImagePng);
        if (bitmap is null)
        {
            paint.Color = new SKColor(190, 190, 190);
            canvas.DrawRect(box, paint);
            ReportText.DrawCentred(canvas, "unreadable", box.MidX, box.MidY, SKTextAlign.Center, font, new SKColor(60, 60, 60), Tile);
        }
        else
        {
            paint.Color = new SKColor(240, 240, 240);
            canvas.DrawRect(box, paint);
            using var image = SKImage.FromBitmap(bitmap);
            canvas.DrawImage(image, Fit(bitmap.Width, bitmap.Height, box), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
        }

        float line = ReportText.LineHeight(font);
        float top = y + Tile + 4 + (line / 2);
        bool wrong = !string.Equals(item.Predicted, item.Actual, StringComparison.Ordinal);
        ReportText.DrawCentred(canvas, $"predicted: {item.Predicted}", box.MidX, top, SKTextAlign.Center, font, wrong ? Wrong : Ink, Tile);
        ReportText.DrawCentred(canvas, $"actual: {item.Actual}", box.MidX, top + line, SKTextAlign.Center, font, Ink, Tile);
        var numbers = string.Create(CultureInfo.InvariantCulture, $"p {item.Probability:0.00}  ·  loss {item.Loss:0.00}");
        ReportText.DrawCentred(canvas, numbers, box.MidX, top + (2 * line), SKTextAlign.Center, font, Muted, Tile);
    }

    /// <summary>Largest rectangle with the image's aspect ratio that fits in the box, centred.</summary>
    private static SKRect Fit(int width, int height, SKRect box)
    {
        float scale = Math.Min(box.Width / width, box.Height / height);
        float w = width * scale, h = height * scale;
        return SKRect.Create(box.MidX - (w / 2), box.MidY - (h / 2), w, h);
    }

    private static SKBitmap? TryDecode(byte[]? data)
    {
        if (data is null || data.Length == 0)
        {
            return null;
        }

        using var encoded = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(encoded);
        if (codec is null || codec.Info.Width <= 0 || (long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return null;
        }

        return SKBitmap.Decode(codec);
    }
}
