using SkateBot.Vision.Model;
using SkateBot.Vision.Pretrained;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Pretrained;

/// <summary>
/// The imported TorchSharp backbone must compute what the ONNX models compute: same image through ONNX Runtime
/// (preprocess + ResNet18) and through InputConvention.Apply + ResNet18Backbone, 512 features within 1e-3 relative.
/// </summary>
[Collection(ImportedBackboneCollection.Name)]
public sealed class ParityTests(ImportedBackboneFixture fixture, ITestOutputHelper output)
{
    private const double Tolerance = 1e-3;

    [Fact]
    public void Features_SyntheticImage_MatchOnnxRuntime()
    {
        float[] image = TestImages.Synthetic(seed: 1234);

        var (relative, maxAbs, _) = Compare(image);

        output.WriteLine($"synthetic: relative {relative:E3}, max abs {maxAbs:E3}, import {fixture.ImportTime.TotalMilliseconds:F0} ms");
        Assert.True(relative <= Tolerance, $"relative difference {relative:E3} exceeds {Tolerance:E0} (max abs {maxAbs:E3})");
    }

    [Fact]
    public void Features_DifferentImages_Differ()
    {
        // Guards the parity test against a backbone that ignores its input (e.g. constant features).
        var a = TorchFeatures(TestImages.Synthetic(seed: 1));
        var b = TorchFeatures(TestImages.Synthetic(seed: 2));

        Assert.True(RelativeDifference(a, b) > 0.05, $"features of two different images differ by only {RelativeDifference(a, b):E3}");
    }

    [SkippableFact]
    public void Features_RealPhoto_MatchOnnxRuntime()
    {
        string? photos = SharedPhotos();
        Skip.If(photos is null, "../shared/photos is not present (reference photos live outside the repository)");
        // train/ photos: holdout/ is reserved for evaluating classifiers.
        string photo = Directory.EnumerateFiles(Path.Combine(photos!, "train"), "*.jpg", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .First();

        var (relative, maxAbs, norm) = Compare(TestImages.FromFile(photo));

        output.WriteLine($"{Path.GetFileName(photo)}: relative {relative:E3}, max abs {maxAbs:E3}, |ORT features| {norm:F3}");
        Assert.True(relative <= Tolerance, $"relative difference {relative:E3} exceeds {Tolerance:E0} (max abs {maxAbs:E3})");
    }

    private (double Relative, double MaxAbs, double Norm) Compare(float[] rgb01)
    {
        float[] expected;
        using (var ort = new OrtReference())
        {
            expected = ort.Features(rgb01);
        }

        float[] actual = TorchFeatures(rgb01);
        Assert.Equal(ResNet18Backbone.FeatureCount, expected.Length);
        Assert.Equal(ResNet18Backbone.FeatureCount, actual.Length);
        double maxAbs = expected.Zip(actual, (e, a) => Math.Abs(e - (double)a)).Max();
        return (RelativeDifference(actual, expected), maxAbs, Norm(expected));
    }

    private float[] TorchFeatures(float[] rgb01)
    {
        var (module, convention, _) = fixture.Backbone;
        module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = convention.Apply(tensor(rgb01, [1, 3, 224, 224]));
        return module.forward(input).data<float>().ToArray();
    }

    private static double RelativeDifference(float[] a, float[] b) =>
        Math.Sqrt(a.Zip(b, (x, y) => (x - (double)y) * (x - (double)y)).Sum()) / Norm(b);

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static string? SharedPhotos()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "photos");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
