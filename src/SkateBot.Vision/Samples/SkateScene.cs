using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>Composes one picture: backdrop, shadow, chassis, boot; then placement and camera damage.</summary>
internal static class SkateScene
{
    public static SKBitmap Render(int classIndex, Random rng, int size)
    {
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            Backdrop.Draw(canvas, rng, size);

            // Every choice is drawn from rng in the same order for every class (colours, boot, then the
            // class-specific chassis) so the shared parts have identical distributions.
            var colours = SkateColours.Pick(rng);
            var boot = new Boot(rng);
            IChassis chassis = classIndex switch
            {
                0 => new AggressiveChassis(rng),
                1 => new InlineChassis(rng),
                _ => rng.Chance(0.6) ? new QuadChassis(rng) : new BladeChassis(rng),
            };
            bool shadow = rng.Chance(0.5);

            var bounds = new SKRect(chassis.MinX, chassis.BootBottom - boot.Height, chassis.MaxX, 0.01f);
            Place(canvas, rng, size, bounds);

            if (shadow)
            {
                using var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black.WithAlpha(60) };
                canvas.DrawOval(bounds.MidX, 0.005f, bounds.Width * 0.5f, 0.03f, paint);
            }

            chassis.DrawUnderBoot(canvas, colours);
            boot.Draw(canvas, chassis.BootBottom, colours);
            chassis.DrawOverBoot(canvas, colours);
        }

        return Degrader.Apply(bitmap, rng);
    }

    /// <summary>
    /// Scale so the skate's longest side is 45–90 % of the image, rotate ±20°, mirror half the time, and put it
    /// where the rotated box still fits inside the image.
    /// </summary>
    private static void Place(SKCanvas canvas, Random rng, int size, SKRect bounds)
    {
        float fraction = rng.Range(0.45, 0.9);
        float angle = rng.Range(-20, 20);
        bool facingLeft = rng.Chance(0.5);

        float scale = fraction * size / Math.Max(bounds.Width, bounds.Height);
        double radians = angle * Math.PI / 180;
        float cos = (float)Math.Abs(Math.Cos(radians));
        float sin = (float)Math.Abs(Math.Sin(radians));
        float halfW = ((cos * bounds.Width) + (sin * bounds.Height)) * scale / 2;
        float halfH = ((sin * bounds.Width) + (cos * bounds.Height)) * scale / 2;
        float fit = Math.Min(1f, Math.Min(size / 2f / halfW, size / 2f / halfH) * 0.98f);
        scale *= fit;
        halfW *= fit;
        halfH *= fit;

        float cx = rng.Range(halfW, size - halfW);
        float cy = rng.Range(halfH, size - halfH);
        canvas.Translate(cx, cy);
        canvas.RotateDegrees(angle);
        canvas.Scale(facingLeft ? -scale : scale, scale);
        canvas.Translate(-bounds.MidX, -bounds.MidY);
    }
}
