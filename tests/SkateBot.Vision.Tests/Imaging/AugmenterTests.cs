using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

public sealed class AugmenterTests
{
    private static readonly AugmentOptions Geometry = new()
    {
        LightingProbability = 0, // isolate the warp
    };

    private static readonly AugmentOptions WholeImageFlipOnly = new()
    {
        MinScale = 1, MaxScale = 1, MinAspect = 1, MaxAspect = 1,
        FlipProbability = 1, RotationProbability = 0, LightingProbability = 0,
    };

    [Fact]
    public void Augment_SameSeed_SamePixels()
    {
        using var source = TestImages.Photo(320, 240).CloneAs<Rgb24>();
        var augmenter = new Augmenter(AugmentOptions.Default);

        using var first = augmenter.Augment(source, new Random(7));
        using var second = augmenter.Augment(source, new Random(7));

        Assert.Equal(Pixels(first), Pixels(second));
    }

    [Fact]
    public void Augment_DifferentSeeds_DifferentSamples()
    {
        using var source = TestImages.Photo(320, 240).CloneAs<Rgb24>();
        var augmenter = new Augmenter(AugmentOptions.Default);

        var samples = Enumerable.Range(0, 5).Select(seed =>
        {
            using var image = augmenter.Augment(source, new Random(seed));
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Pixels(image)));
        }).ToHashSet();

        Assert.Equal(5, samples.Count);
    }

    [Theory]
    [InlineData(224, 320, 240)]
    [InlineData(64, 50, 400)]
    [InlineData(32, 10, 8)] // smaller than the output: upscaled
    public void Augment_AnySource_GivesSizeBySizeAndLeavesSourceAlone(int size, int width, int height)
    {
        using var source = TestImages.Photo(width, height).CloneAs<Rgb24>();
        var before = Pixels(source);

        using var output = new Augmenter(AugmentOptions.Default).Augment(source, new Random(3), size);

        Assert.Equal((size, size), (output.Width, output.Height));
        Assert.Equal((width, height), (source.Width, source.Height));
        Assert.Equal(before, Pixels(source));
    }

    [Fact]
    public void Augment_RotatedSolidImage_HasNoDarkCorners()
    {
        // With zero fill a rotated crop reaching the picture edge shows black corners; reflection keeps them grey.
        using var source = TestImages.Solid(200, 150, new Rgba32(120, 130, 140)).CloneAs<Rgb24>();
        var augmenter = new Augmenter(Geometry with { MinScale = 1, MaxRotationDegrees = 10, RotationProbability = 1 });

        for (var seed = 0; seed < 10; seed++)
        {
            using var output = augmenter.Augment(source, new Random(seed), 64);
            Assert.All(PixelList(output), p => TestImages.AssertNear(new Rgb24(120, 130, 140), p, tolerance: 1));
        }
    }

    [Fact]
    public void Augment_FlipOfWholeImage_MirrorsLeftAndRight()
    {
        using var source = TestImages.Halves(100, 100, Color.Red, Color.Blue).CloneAs<Rgb24>();

        using var output = new Augmenter(WholeImageFlipOnly).Augment(source, new Random(1), 50);

        TestImages.AssertNear(new Rgb24(0, 0, 255), TestImages.PixelAt(output, 5, 25), tolerance: 2);
        TestImages.AssertNear(new Rgb24(255, 0, 0), TestImages.PixelAt(output, 45, 25), tolerance: 2);
    }

    [Fact]
    public void Augment_NoFlipNoRotationWholeImage_MatchesPlainResize()
    {
        using var source = TestImages.Halves(100, 100, Color.Red, Color.Blue).CloneAs<Rgb24>();
        var options = WholeImageFlipOnly with { FlipProbability = 0 };

        using var output = new Augmenter(options).Augment(source, new Random(1), 50);

        TestImages.AssertNear(new Rgb24(255, 0, 0), TestImages.PixelAt(output, 5, 25), tolerance: 2);
        TestImages.AssertNear(new Rgb24(0, 0, 255), TestImages.PixelAt(output, 45, 25), tolerance: 2);
    }

    [Fact]
    public void Augment_Lighting_StaysWithinConfiguredBrightnessRange()
    {
        using var source = TestImages.Solid(64, 64, new Rgba32(100, 100, 100)).CloneAs<Rgb24>();
        var augmenter = new Augmenter(WholeImageFlipOnly with { LightingProbability = 1, MaxBrightness = 0.2, MaxContrast = 0.2 });

        var levels = Enumerable.Range(0, 20).Select(seed =>
        {
            using var output = augmenter.Augment(source, new Random(seed), 16);
            var pixels = PixelList(output);
            Assert.All(pixels, p => Assert.Equal(pixels[0], p)); // contrast of a flat image stays flat
            return (int)pixels[0].R;
        }).ToList();

        Assert.All(levels, level => Assert.InRange(level, 80, 120));
        Assert.True(levels.Distinct().Count() > 5, "brightness should vary between seeds: " + string.Join(",", levels));
    }

    [Fact]
    public void Augment_RandomCrops_VaryInPositionAndScale()
    {
        // A horizontal gradient: the mean red of the output tells where the crop sat and how wide it was.
        using var source = TestImages.Photo(400, 300).CloneAs<Rgb24>();
        var augmenter = new Augmenter(Geometry with { FlipProbability = 0, RotationProbability = 0 });

        var means = Enumerable.Range(0, 30).Select(seed =>
        {
            using var output = augmenter.Augment(source, new Random(seed), 32);
            return PixelList(output).Average(p => p.R);
        }).ToList();

        Assert.True(means.Max() - means.Min() > 40, $"crop positions barely differ: {means.Min():F0}..{means.Max():F0}");
    }

    [Fact]
    public void Constructor_BadOptions_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Augmenter(new AugmentOptions { MinScale = 0 }));
        Assert.Contains("MinScale", ex.Message);
    }

    private static byte[] Pixels(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    private static List<Rgb24> PixelList(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return [.. pixels];
    }
}
