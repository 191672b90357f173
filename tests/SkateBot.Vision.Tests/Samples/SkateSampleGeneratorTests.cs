using System.Security.Cryptography;
using SkateBot.Vision.Samples;
using SkiaSharp;

namespace SkateBot.Vision.Tests.Samples;

public sealed class SkateSampleGeneratorTests
{
    private const int Size = 64;

    [Fact]
    public void Generate_SameSeedTwice_WritesByteIdenticalFiles()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();

        SkateSampleGenerator.Generate(first.Path, perClass: 4, seed: 7, size: Size);
        SkateSampleGenerator.Generate(second.Path, perClass: 4, seed: 7, size: Size);

        Assert.Equal(HashTree(first.Path), HashTree(second.Path));
    }

    [Fact]
    public void Generate_DifferentSeed_WritesDifferentImages()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();

        SkateSampleGenerator.Generate(first.Path, perClass: 4, seed: 7, size: Size);
        SkateSampleGenerator.Generate(second.Path, perClass: 4, seed: 8, size: Size);

        var a = HashTree(first.Path);
        var b = HashTree(second.Path);
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a.Keys, name => Assert.NotEqual(a[name], b[name]));
    }

    [Fact]
    public void Generate_Default_WritesJpegsPerClassWithRequestedSize()
    {
        using var folder = new TempFolder();

        SkateSampleGenerator.Generate(folder.Path, perClass: 3, seed: 1, size: Size);

        Assert.Equal(
            ["aggressive_skates", "inline_skates"],
            Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Order());
        var aggressive = Directory.GetFiles(Path.Combine(folder.Path, "aggressive_skates")).Select(Path.GetFileName).Order();
        var inline = Directory.GetFiles(Path.Combine(folder.Path, "inline_skates")).Select(Path.GetFileName).Order();
        Assert.Equal(["agg_000.jpg", "agg_001.jpg", "agg_002.jpg"], aggressive);
        Assert.Equal(["inl_000.jpg", "inl_001.jpg", "inl_002.jpg"], inline);
        foreach (var file in Directory.GetFiles(folder.Path, "*.jpg", SearchOption.AllDirectories))
        {
            using var codec = SKCodec.Create(file);
            Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
            Assert.Equal(new SKSizeI(Size, Size), codec.Info.Size);
        }
    }

    [Fact]
    public void Generate_Rerun_RemovesStaleSamplesAndKeepsOtherFiles()
    {
        using var folder = new TempFolder();
        SkateSampleGenerator.Generate(folder.Path, perClass: 3, seed: 1, size: Size, SampleImageFormat.Png);
        var keep = Path.Combine(folder.Path, "inline_skates", "my_photo.jpg");
        File.WriteAllText(keep, "not a sample");

        SkateSampleGenerator.Generate(folder.Path, perClass: 1, seed: 1, size: Size);

        Assert.Equal(["agg_000.jpg"], Directory.GetFiles(Path.Combine(folder.Path, "aggressive_skates")).Select(Path.GetFileName));
        Assert.Equal(
            ["inl_000.jpg", "my_photo.jpg"],
            Directory.GetFiles(Path.Combine(folder.Path, "inline_skates")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Generate_WithOther_AddsAnOtherFolderAndLeavesEverySkateImageAsItWas()
    {
        using var skates = new TempFolder();
        using var all = new TempFolder();

        SkateSampleGenerator.Generate(skates.Path, perClass: 3, seed: 5, size: Size);
        SkateSampleGenerator.Generate(all.Path, perClass: 3, seed: 5, size: Size, withOther: true);

        Assert.Equal(
            ["aggressive_skates", "inline_skates", "other"],
            Directory.GetDirectories(all.Path).Select(Path.GetFileName).Order());
        Assert.Equal(
            ["oth_000.jpg", "oth_001.jpg", "oth_002.jpg"],
            Directory.GetFiles(Path.Combine(all.Path, "other")).Select(Path.GetFileName).Order());
        // The committed set gained a folder; its skate images (and so every model trained on them) stay the same.
        var before = HashTree(skates.Path);
        var after = HashTree(all.Path);
        Assert.All(before, pair => Assert.Equal(pair.Value, after[pair.Key]));
        foreach (var file in Directory.GetFiles(Path.Combine(all.Path, "other")))
        {
            using var bitmap = SKBitmap.Decode(file);
            Assert.True(LumaVariance(bitmap) > 50, $"{file} looks blank");
        }
    }

    [Fact]
    public void Render_Other_DrawsNeitherSkateClassAndIsRepeatable()
    {
        using var a = SkateSampleGenerator.Render(SkateSampleGenerator.OtherClass, 2, seed: 11, size: Size);
        using var b = SkateSampleGenerator.Render(SkateSampleGenerator.OtherClass, 2, seed: 11, size: Size);
        using var aggressive = SkateSampleGenerator.Render(SkateSampleGenerator.AggressiveClass, 2, seed: 11, size: Size);
        using var inline = SkateSampleGenerator.Render(SkateSampleGenerator.InlineClass, 2, seed: 11, size: Size);

        Assert.True(a.GetPixelSpan().SequenceEqual(b.GetPixelSpan()));
        Assert.False(a.GetPixelSpan().SequenceEqual(aggressive.GetPixelSpan()));
        Assert.False(a.GetPixelSpan().SequenceEqual(inline.GetPixelSpan()));
    }

    [Fact]
    public void Enumerate_Png_YieldsDecodablePicturesThatAreNotBlank()
    {
        var samples = SkateSampleGenerator.Enumerate(perClass: 3, seed: 3, size: Size, SampleImageFormat.Png).ToList();

        Assert.Equal(6, samples.Count);
        Assert.Equal(3, samples.Count(s => s.ClassName == SkateSampleGenerator.InlineClass));
        foreach (var sample in samples)
        {
            Assert.EndsWith(".png", sample.FileName, StringComparison.Ordinal);
            using var bitmap = SKBitmap.Decode(sample.Data);
            Assert.Equal(Size, bitmap.Width);
            Assert.True(LumaVariance(bitmap) > 50, $"{sample.FileName} looks blank");
        }
    }

    [Fact]
    public void Render_SameArguments_SamePixelsAndDifferentIndexDiffers()
    {
        using var a = SkateSampleGenerator.Render(SkateSampleGenerator.AggressiveClass, 5, seed: 11, size: Size);
        using var b = SkateSampleGenerator.Render(SkateSampleGenerator.AggressiveClass, 5, seed: 11, size: Size);
        using var c = SkateSampleGenerator.Render(SkateSampleGenerator.AggressiveClass, 6, seed: 11, size: Size);

        Assert.True(a.GetPixelSpan().SequenceEqual(b.GetPixelSpan()));
        Assert.False(a.GetPixelSpan().SequenceEqual(c.GetPixelSpan()));
    }

    [Fact]
    public void Render_UnknownClass_ThrowsArgumentExceptionNamingTheClasses()
    {
        var error = Assert.Throws<ArgumentException>(() => SkateSampleGenerator.Render("quad_skates", 0, 1));
        Assert.Contains("aggressive_skates", error.Message, StringComparison.Ordinal);
        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 224)]
    [InlineData(5, 16)]
    [InlineData(5, 4096)]
    public void Enumerate_OutOfRangeArguments_Throws(int perClass, int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SkateSampleGenerator.Enumerate(perClass, 1, size));

    internal static double LumaVariance(SKBitmap bitmap)
    {
        var values = bitmap.Pixels.Select(p => (0.299 * p.Red) + (0.587 * p.Green) + (0.114 * p.Blue)).ToList();
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }

    private static Dictionary<string, string> HashTree(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(root, file),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
}
