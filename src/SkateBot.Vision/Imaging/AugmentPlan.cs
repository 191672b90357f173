namespace SkateBot.Vision.Imaging;

/// <summary>
/// The random choices for one augmented sample, drawn in a fixed order from a generator seeded by
/// one draw from the caller's <see cref="Random"/>, so that a seed reproduces the sample exactly.
/// </summary>
internal sealed record AugmentPlan(
    double CropX, double CropY, double CropWidth, double CropHeight,
    bool Flip, double AngleDegrees, double Brightness, double Contrast)
{
    public static AugmentPlan Draw(AugmentOptions o, int width, int height, Random seedSource)
    {
        var rng = new SplitMix(seedSource);
        var (x, y, w, h) = DrawCrop(o, width, height, rng);
        var flip = rng.NextDouble() < o.FlipProbability;
        var angle = rng.NextDouble() < o.RotationProbability ? Uniform(rng, -o.MaxRotationDegrees, o.MaxRotationDegrees) : 0;
        var lighting = rng.NextDouble() < o.LightingProbability;
        var brightness = lighting ? Uniform(rng, 1 - o.MaxBrightness, 1 + o.MaxBrightness) : 1;
        var contrast = lighting ? Uniform(rng, 1 - o.MaxContrast, 1 + o.MaxContrast) : 1;
        return new AugmentPlan(x, y, w, h, flip, angle, brightness, contrast);
    }

    /// <summary>
    /// torchvision RandomResizedCrop.get_params: up to ten tries at a crop with area fraction in
    /// [MinScale, MaxScale] and log-uniform aspect in [MinAspect, MaxAspect] that fits; otherwise the
    /// largest centred crop whose aspect is within range.
    /// </summary>
    private static (int X, int Y, int W, int H) DrawCrop(AugmentOptions o, int width, int height, SplitMix rng)
    {
        double area = (double)width * height;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * Uniform(rng, o.MinScale, o.MaxScale);
            var aspect = Math.Exp(Uniform(rng, Math.Log(o.MinAspect), Math.Log(o.MaxAspect)));
            var w = (int)Math.Round(Math.Sqrt(target * aspect));
            var h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height)
            {
                return (rng.Next(0, width - w + 1), rng.Next(0, height - h + 1), w, h);
            }
        }
        var ratio = (double)width / height;
        var (cw, ch) = ratio < o.MinAspect ? (width, (int)Math.Round(width / o.MinAspect))
            : ratio > o.MaxAspect ? ((int)Math.Round(height * o.MaxAspect), height)
            : (width, height);
        cw = Math.Clamp(cw, 1, width);
        ch = Math.Clamp(ch, 1, height);
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    private static double Uniform(SplitMix rng, double min, double max) => min + (max - min) * rng.NextDouble();
}
