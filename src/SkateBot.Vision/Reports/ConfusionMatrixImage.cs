using System.Globalization;
using SkiaSharp;

namespace SkateBot.Vision.Reports;

/// <summary>
/// Confusion matrix in the style of fast.ai's ClassificationInterpretation.plot_confusion_matrix: actual class
/// on the y axis, predicted on the x axis, the count in every cell, darker blue for larger counts.
/// </summary>
internal static class ConfusionMatrixImage
{
    public const int MaxClasses = 64;
    private const float Pad = 18, Gap = 8, MaxLabelWidth = 220;

    // Stops of matplotlib's "Blues" colour map, which fast.ai uses.
    private static readonly SKColor[] Blues =
        [new(247, 251, 255), new(198, 219, 239), new(107, 174, 214), new(33, 113, 181), new(8, 48, 107)];

    public static void Write(string path, IReadOnlyList<string> classes, int[,] counts, string title)
    {
        Validate(classes, counts);
        title ??= string.Empty;
        int n = classes.Count;
        float cell = Math.Clamp(560f / n, 36f, 140f);

        using var titleFont = ReportFonts.Create(18, bold: true);
        using var axisFont = ReportFonts.Create(14, bold: true);
        using var tickFont = ReportFonts.Create(13);
        using var countFont = ReportFonts.Create(Math.Clamp(cell * 0.26f, 10f, 28f), bold: true);
        using var footFont = ReportFonts.Create(12);

        var labels = classes.Select(c => ReportText.Fit(c, tickFont, MaxLabelWidth)).ToArray();
        float widest = labels.Max(l => tickFont.MeasureText(l));
        float tickHeight = ReportText.LineHeight(tickFont);
        bool rotate = widest > cell - 6;
        float xTickRoom = rotate ? (widest * 0.7072f) + tickHeight : tickHeight;

        float left = Pad + ReportText.LineHeight(axisFont) + Gap + widest + Gap;
        float top = Pad + ReportText.LineHeight(titleFont) + 14;
        float grid = cell * n;
        float width = Math.Max(left + grid + Pad + 10, titleFont.MeasureText(title) + (2 * Pad));
        float height = top + grid + Gap + xTickRoom + Gap + ReportText.LineHeight(axisFont) + Gap
            + ReportText.LineHeight(footFont) + Pad;

        PngWriter.Write(path, (int)Math.Ceiling(width), (int)Math.Ceiling(height), canvas =>
        {
            var ink = new SKColor(30, 30, 30);
            float gridMid = left + (grid / 2);

            // Title, axis label and footer sit over the grid's centre, as in matplotlib, but never off the image.
            float Centre(string text, SKFont font) =>
                Math.Clamp(gridMid, Pad + (font.MeasureText(text) / 2), Math.Max(Pad + (font.MeasureText(text) / 2), width - Pad - (font.MeasureText(text) / 2)));

            ReportText.DrawCentred(canvas, title, Centre(title, titleFont), Pad + (ReportText.LineHeight(titleFont) / 2), SKTextAlign.Center, titleFont, ink, width - (2 * Pad));
            DrawCells(canvas, counts, left, top, cell, countFont);

            for (int i = 0; i < n; i++)
            {
                float mid = top + (cell * (i + 0.5f));
                ReportText.DrawCentred(canvas, labels[i], left - Gap, mid, SKTextAlign.Right, tickFont, ink, MaxLabelWidth);
                DrawXTick(canvas, labels[i], left + (cell * (i + 0.5f)), top + grid + Gap, rotate, tickFont, ink);
            }

            float predictedY = top + grid + Gap + xTickRoom + Gap + (ReportText.LineHeight(axisFont) / 2);
            ReportText.DrawCentred(canvas, "Predicted", gridMid, predictedY, SKTextAlign.Center, axisFont, ink, width);
            canvas.Save();
            canvas.RotateDegrees(-90, Pad + (ReportText.LineHeight(axisFont) / 2), top + (grid / 2));
            ReportText.DrawCentred(canvas, "Actual", Pad + (ReportText.LineHeight(axisFont) / 2), top + (grid / 2), SKTextAlign.Center, axisFont, ink, height);
            canvas.Restore();

            float footY = height - Pad - (ReportText.LineHeight(footFont) / 2);
            var summary = Summary(counts);
            ReportText.DrawCentred(canvas, summary, Centre(summary, footFont), footY, SKTextAlign.Center, footFont, new SKColor(90, 90, 90), width - (2 * Pad));
        });
    }

    private static void DrawCells(SKCanvas canvas, int[,] counts, float left, float top, float cell, SKFont font)
    {
        int n = counts.GetLength(0);
        int max = counts.Cast<int>().Max();
        using var fill = new SKPaint { IsAntialias = true };
        using var border = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1, Color = SKColors.White };
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                float t = max == 0 ? 0 : counts[actual, predicted] / (float)max;
                var rect = SKRect.Create(left + (predicted * cell), top + (actual * cell), cell, cell);
                fill.Color = ColourAt(t);
                canvas.DrawRect(rect, fill);
                canvas.DrawRect(rect, border);
                var text = counts[actual, predicted].ToString(CultureInfo.InvariantCulture);
                var ink = t > 0.5f ? SKColors.White : new SKColor(20, 20, 20);
                ReportText.DrawCentred(canvas, text, rect.MidX, rect.MidY, SKTextAlign.Center, font, ink, cell - 4);
            }
        }

        border.Color = new SKColor(120, 120, 120);
        canvas.DrawRect(SKRect.Create(left, top, cell * n, cell * n), border);
    }

    private static void DrawXTick(SKCanvas canvas, string label, float x, float y, bool rotate, SKFont font, SKColor ink)
    {
        if (!rotate)
        {
            ReportText.DrawCentred(canvas, label, x, y + (ReportText.LineHeight(font) / 2), SKTextAlign.Center, font, ink, MaxLabelWidth);
            return;
        }

        // Rotated 45° and right-aligned at the column centre, like matplotlib's rotation=45, ha="right".
        canvas.Save();
        canvas.Translate(x, y + (ReportText.LineHeight(font) / 2));
        canvas.RotateDegrees(-45);
        ReportText.DrawCentred(canvas, label, 0, 0, SKTextAlign.Right, font, ink, MaxLabelWidth);
        canvas.Restore();
    }

    internal static SKColor ColourAt(float t)
    {
        float scaled = Math.Clamp(t, 0, 1) * (Blues.Length - 1);
        int i = Math.Min((int)scaled, Blues.Length - 2);
        float f = scaled - i;
        SKColor a = Blues[i], b = Blues[i + 1];
        return new SKColor(Lerp(a.Red, b.Red, f), Lerp(a.Green, b.Green, f), Lerp(a.Blue, b.Blue, f));

        static byte Lerp(byte x, byte y, float f) => (byte)Math.Round(x + ((y - x) * f));
    }

    private static string Summary(int[,] counts)
    {
        long total = 0, correct = 0;
        for (int i = 0; i < counts.GetLength(0); i++)
        {
            for (int j = 0; j < counts.GetLength(1); j++)
            {
                total += counts[i, j];
                correct += i == j ? counts[i, j] : 0;
            }
        }

        return total == 0
            ? "no samples"
            : string.Create(CultureInfo.InvariantCulture, $"accuracy {100.0 * correct / total:0.0}% ({correct}/{total})");
    }

    private static void Validate(IReadOnlyList<string> classes, int[,] counts)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(counts);
        if (classes.Count == 0 || classes.Count > MaxClasses)
        {
            throw new ArgumentException($"Expected 1 to {MaxClasses} classes, got {classes.Count}.", nameof(classes));
        }

        if (classes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Class names must not be empty.", nameof(classes));
        }

        if (counts.GetLength(0) != classes.Count || counts.GetLength(1) != classes.Count)
        {
            throw new ArgumentException(
                $"counts is {counts.GetLength(0)}×{counts.GetLength(1)} but there are {classes.Count} classes; it must be {classes.Count}×{classes.Count} (actual × predicted).",
                nameof(counts));
        }

        if (counts.Cast<int>().Any(c => c < 0))
        {
            throw new ArgumentException("counts must not contain negative values.", nameof(counts));
        }
    }
}
