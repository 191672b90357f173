using SkateBot.Vision.Reports;
using SkiaSharp;

namespace SkateBot.Vision.Tests.Reports;

public sealed class ReportFontsTests
{
    [Fact]
    public void Resolve_MissingFamily_FallsBackToATypefaceThatDrawsGlyphs()
    {
        using var typeface = ReportFonts.Resolve("No Such Font Family 4711", SKFontStyle.Normal);

        Assert.NotNull(typeface);
        using var font = new SKFont(typeface, 24);
        using var bitmap = new SKBitmap(200, 40);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText("unreadable", 4, 30, SKTextAlign.Left, font, paint);
        }

        Assert.Contains(bitmap.Pixels, p => p.Red < 128);
    }
}
