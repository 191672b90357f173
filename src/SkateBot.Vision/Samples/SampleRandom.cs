using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>Small helpers over <see cref="Random"/> so every drawing choice reads as a range.</summary>
internal static class SampleRandom
{
    public static float Range(this Random rng, double min, double max) =>
        (float)(min + (rng.NextDouble() * (max - min)));

    public static bool Chance(this Random rng, double probability) => rng.NextDouble() < probability;

    /// <summary>Standard normal sample (Box–Muller); used for per-pixel sensor noise.</summary>
    public static double Gaussian(this Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>
    /// A colour from one distribution shared by every part of both classes (boots, frames, wheels,
    /// backgrounds), so colour alone never tells aggressive from inline.
    /// </summary>
    public static SKColor AnyColour(this Random rng)
    {
        if (rng.Chance(0.4))
        {
            // Neutrals (black, white, greys) are the most common skate colours.
            var v = (byte)rng.Next(12, 246);
            var tint = rng.Next(-8, 9);
            return new SKColor(v, ClampByte(v + tint), ClampByte(v - tint));
        }

        return SKColor.FromHsv(rng.Range(0, 360), rng.Range(35, 95), rng.Range(30, 97));
    }

    public static SKColor Shade(this SKColor colour, float factor) => new(
        ClampByte(colour.Red * factor),
        ClampByte(colour.Green * factor),
        ClampByte(colour.Blue * factor),
        colour.Alpha);

    /// <summary>A darker shade for light colours, a lighter one for dark colours: a visible outline on both.</summary>
    public static SKColor Outline(this SKColor colour) =>
        Luma(colour) > 0.35f ? colour.Shade(0.55f) : colour.Shade(1.6f).Lift(40);

    public static float Luma(SKColor c) => ((0.299f * c.Red) + (0.587f * c.Green) + (0.114f * c.Blue)) / 255f;

    private static SKColor Lift(this SKColor c, int amount) =>
        new(ClampByte(c.Red + amount), ClampByte(c.Green + amount), ClampByte(c.Blue + amount), c.Alpha);

    internal static byte ClampByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
