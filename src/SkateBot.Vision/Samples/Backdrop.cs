using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>Backgrounds shared by both classes: plain, gradient, blobs or lines, sometimes a floor line.</summary>
internal static class Backdrop
{
    public static void Draw(SKCanvas canvas, Random rng, int size)
    {
        using var paint = new SKPaint { IsAntialias = true };
        var baseColour = rng.Chance(0.5) ? LightNeutral(rng) : rng.AnyColour();
        canvas.Clear(baseColour);

        switch (rng.Next(4))
        {
            case 1:
                using (var shader = SKShader.CreateLinearGradient(
                    new SKPoint(rng.Range(0, size), 0), new SKPoint(rng.Range(0, size), size),
                    [baseColour, rng.AnyColour()], SKShaderTileMode.Clamp))
                {
                    paint.Shader = shader;
                    canvas.DrawRect(0, 0, size, size, paint);
                    paint.Shader = null;
                }

                break;
            case 2:
                for (int i = rng.Next(4, 14); i > 0; i--)
                {
                    paint.Color = rng.AnyColour().WithAlpha((byte)rng.Next(60, 200));
                    canvas.DrawOval(rng.Range(0, size), rng.Range(0, size), rng.Range(0.04, 0.25) * size, rng.Range(0.04, 0.25) * size, paint);
                }

                break;
            case 3:
                paint.Style = SKPaintStyle.Stroke;
                for (int i = rng.Next(3, 12); i > 0; i--)
                {
                    paint.Color = rng.AnyColour().WithAlpha((byte)rng.Next(80, 230));
                    paint.StrokeWidth = rng.Range(0.005, 0.04) * size;
                    canvas.DrawLine(rng.Range(-0.2, 1.2) * size, rng.Range(-0.2, 1.2) * size, rng.Range(-0.2, 1.2) * size, rng.Range(-0.2, 1.2) * size, paint);
                }

                paint.Style = SKPaintStyle.Fill;
                break;
        }

        if (rng.Chance(0.35))
        {
            // A floor: product photos often stand the skate on a table or the ground.
            float horizon = rng.Range(0.55, 0.85) * size;
            paint.Color = rng.AnyColour().WithAlpha((byte)rng.Next(120, 256));
            canvas.DrawRect(0, horizon, size, size - horizon, paint);
        }
    }

    private static SKColor LightNeutral(Random rng)
    {
        var v = (byte)rng.Next(200, 256);
        return new SKColor(v, v, (byte)Math.Clamp(v + rng.Next(-6, 7), 0, 255));
    }
}
