using SkiaSharp;

namespace SkateBot.Vision.Reports;

/// <summary>Text drawing that never spills: strings wider than the room they get end in an ellipsis.</summary>
internal static class ReportText
{
    public static string Fit(string text, SKFont font, float maxWidth)
    {
        if (font.MeasureText(text) <= maxWidth)
        {
            return text;
        }

        const string Ellipsis = "…";
        int keep = text.Length;
        while (keep > 0 && font.MeasureText(string.Concat(text.AsSpan(0, keep), Ellipsis)) > maxWidth)
        {
            keep--;
        }

        return keep == 0 ? Ellipsis : string.Concat(text.AsSpan(0, keep).TrimEnd(), Ellipsis);
    }

    /// <summary>Draws <paramref name="text"/> with its vertical centre at <paramref name="y"/>.</summary>
    public static void DrawCentred(
        SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKFont font, SKColor colour, float maxWidth)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = colour };
        var metrics = font.Metrics;
        float baseline = y - ((metrics.Ascent + metrics.Descent) / 2);
        canvas.DrawText(Fit(text, font, maxWidth), x, baseline, align, font, paint);
    }

    public static float LineHeight(SKFont font) => font.Metrics.Descent - font.Metrics.Ascent + font.Metrics.Leading;
}
