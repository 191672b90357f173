namespace SkateBot.Vision.Imaging;

/// <summary>
/// Train-time augmentation settings. Defaults follow fast.ai's aug_transforms with
/// RandomResizedCrop(min_scale=0.35): flips, ±10° rotation and ±0.2 lighting, each affine and
/// lighting change applied with probability 0.75 (fast.ai's p_affine and p_lighting). For photos taken in the wild
/// (skates small in the frame, soft focus, odd colours) crops reach down to a fifth of the area, and padding, blur and
/// saturation changes are added (measured in README's "Photos from the wild").
/// </summary>
public sealed record AugmentOptions
{
    public double MinScale { get; init; } = 0.2;
    public double MaxScale { get; init; } = 1.0;
    public double MinAspect { get; init; } = 3.0 / 4.0;
    public double MaxAspect { get; init; } = 4.0 / 3.0;
    public double FlipProbability { get; init; } = 0.5;
    public double MaxRotationDegrees { get; init; } = 10;
    public double RotationProbability { get; init; } = 0.75;
    public double MaxBrightness { get; init; } = 0.2;
    public double MaxContrast { get; init; } = 0.2;
    public double LightingProbability { get; init; } = 0.75;
    /// <summary>Chance that a non-square photo is first padded to a square (at a random offset) before cropping.</summary>
    public double PadProbability { get; init; } = 0.5;
    public double BlurProbability { get; init; } = 0.2;
    public double MaxBlurSigma { get; init; } = 1.5;
    public double MaxSaturation { get; init; } = 0.3;

    public static AugmentOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public AugmentOptions Validate()
    {
        Check(MinScale > 0 && MinScale <= MaxScale && MaxScale <= 1, nameof(MinScale), "need 0 < MinScale <= MaxScale <= 1");
        Check(MinAspect > 0 && MinAspect <= MaxAspect, nameof(MinAspect), "need 0 < MinAspect <= MaxAspect");
        Check(FlipProbability is >= 0 and <= 1, nameof(FlipProbability), "must be 0..1");
        Check(RotationProbability is >= 0 and <= 1, nameof(RotationProbability), "must be 0..1");
        Check(LightingProbability is >= 0 and <= 1, nameof(LightingProbability), "must be 0..1");
        Check(MaxRotationDegrees is >= 0 and <= 45, nameof(MaxRotationDegrees), "must be 0..45");
        Check(MaxBrightness is >= 0 and < 1, nameof(MaxBrightness), "must be 0..1");
        Check(MaxContrast is >= 0 and < 1, nameof(MaxContrast), "must be 0..1");
        Check(PadProbability is >= 0 and <= 1, nameof(PadProbability), "must be 0..1");
        Check(BlurProbability is >= 0 and <= 1, nameof(BlurProbability), "must be 0..1");
        Check(MaxBlurSigma is >= 0.3 and <= 5, nameof(MaxBlurSigma), "must be 0.3..5");
        Check(MaxSaturation is >= 0 and < 1, nameof(MaxSaturation), "must be 0..1");
        return this;
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, $"AugmentOptions.{name}: {rule}");
    }
}
