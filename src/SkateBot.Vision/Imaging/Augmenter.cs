using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// fast.ai-style train-time augmentation producing a size×size image: random resized crop, horizontal
/// flip, small rotation and brightness/contrast jitter (see <see cref="AugmentOptions"/>).
/// As in fast.ai, crop, flip and rotation are one warp sampled once, and what the rotation brings in
/// from outside the picture is reflected (fast.ai's PadMode.Reflection), so no black corners appear.
/// Lighting follows torchvision's ColorJitter: brightness multiplies, contrast blends with the mean grey.
/// Deterministic for a given <see cref="Random"/> state; never mutates the source.
/// </summary>
public sealed class Augmenter(AugmentOptions options)
{
    private readonly AugmentOptions _options = options.Validate();

    public Augmenter() : this(AugmentOptions.Default) { }

    public Image<Rgb24> Augment(Image<Rgb24> source, Random rng, int size = 224)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        // Pad first (at a random place) so the whole photo, as the padded eval view sees it, is among the crops drawn.
        using var padded = source.Width != source.Height && rng.NextDouble() < _options.PadProbability
            ? InputViews.PaddedImage(source, Math.Max(source.Width, source.Height), rng.NextDouble(), rng.NextDouble())
            : null;
        var result = AugmentSquare(padded ?? source, rng, size);
        // Wild photos are soft, hazy and differently coloured: blur and saturation changes, each with its own probability.
        var blur = rng.NextDouble() < _options.BlurProbability ? 0.3 + rng.NextDouble() * (_options.MaxBlurSigma - 0.3) : 0;
        var saturation = rng.NextDouble() < _options.LightingProbability ? 1 + (rng.NextDouble() * 2 - 1) * _options.MaxSaturation : 1;
        if (blur > 0) result.Mutate(x => x.GaussianBlur((float)blur));
        if (saturation != 1) result.Mutate(x => x.Saturate((float)saturation));
        return result;
    }

    private Image<Rgb24> AugmentSquare(Image<Rgb24> source, Random rng, int size)
    {
        var plan = AugmentPlan.Draw(_options, source.Width, source.Height, rng);
        var warp = new Warp(plan, size);
        // Resample only the part of the source the warp reads, scaled so the crop becomes size×size:
        // the antialiased resize does the large downscale, the per-pixel bilinear step only the rotation.
        var region = warp.SourceRegion(source.Width, source.Height);
        using var scaled = source.Clone(x => x.Crop(region).Resize(
            Math.Max(1, (int)Math.Round(region.Width * warp.ScaleX)),
            Math.Max(1, (int)Math.Round(region.Height * warp.ScaleY)),
            KnownResamplers.Triangle));
        var pixels = new Rgb24[scaled.Width * scaled.Height];
        scaled.CopyPixelDataTo(pixels);
        var rgb = warp.Sample(pixels, scaled.Width, scaled.Height, region);
        Lighting.Apply(rgb, plan.Brightness, plan.Contrast);
        return ToImage(rgb, size);
    }

    private static Image<Rgb24> ToImage(float[] rgb, int size)
    {
        var image = new Image<Rgb24>(size, size);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var offset = y * size * 3;
                for (var x = 0; x < row.Length; x++, offset += 3)
                {
                    row[x] = new Rgb24(ToByte(rgb[offset]), ToByte(rgb[offset + 1]), ToByte(rgb[offset + 2]));
                }
            }
        });
        return image;
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
}
