using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// A wheel in skate-local units: the boot is 1 long, the ground is y = 0 and y grows downwards (Skia's
/// convention), so everything above the ground has a negative y.
/// </summary>
internal readonly record struct Wheel(float X, float Y, float Radius)
{
    /// <summary>Tyre, hub and bearing; the frame drawn later hides the top, as on a real skate.</summary>
    public void Draw(SKCanvas canvas, SkateColours colours)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = colours.Wheel };
        canvas.DrawCircle(X, Y, Radius, paint);
        paint.Color = colours.Hub;
        canvas.DrawCircle(X, Y, Radius * 0.58f, paint);
        paint.Color = colours.Hub.Outline();
        canvas.DrawCircle(X, Y, Radius * 0.22f, paint);

        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = Radius * 0.07f;
        paint.Color = colours.Wheel.Outline();
        canvas.DrawCircle(X, Y, Radius, paint);
    }

    /// <summary>The axle bolt goes through the frame wall, so it is drawn on top of the frame.</summary>
    public void DrawBolt(SKCanvas canvas, SkateColours colours)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = colours.Buckle };
        canvas.DrawCircle(X, Y, Math.Max(Radius * 0.16f, 0.012f), paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.006f;
        paint.Color = colours.Buckle.Outline();
        canvas.DrawCircle(X, Y, Math.Max(Radius * 0.16f, 0.012f), paint);
    }
}
