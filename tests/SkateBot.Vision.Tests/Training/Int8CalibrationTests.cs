using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Tests.Support;
using SkateBot.Vision.Training;
using TorchSharp;

namespace SkateBot.Vision.Tests.Training;

/// <summary>A trained checkpoint carries the activation ranges its int8 export needs, and is served in int8 when asked.</summary>
[Collection(TrainingCollection.Name)]
public sealed class Int8CalibrationTests
{
    [Fact]
    public void TrainingJob_RecordsActivationRanges_AndInt8ServesThem()
    {
        using var dir = new TempDirectory("int8-calibration");
        var result = TrainingData.TinyJob(TrainingData.TinySamples(dir.Combine("photos")), dir.Path, "q");

        var (info, _, _) = CheckpointFile.ReadHeader(result.CheckpointPath);
        Assert.NotNull(info.ActivationRanges);
        // The input after the convention, a ReLU output (never negative) and the last block's output are all there.
        Assert.True(info.ActivationRanges!["prepared"][0] < 0, "the prepared input has negative values");
        Assert.Equal(0f, info.ActivationRanges["relu"][0]);
        Assert.True(info.ActivationRanges["layer4.1.relu2"][1] > 0);

        var cpu = InferenceOptions.Default with { Engine = InferenceEngine.Onnx, Provider = OrtProvider.Cpu };
        using var float32 = SkateClassifier.Load(result.CheckpointPath, torch.CPU, cpu);
        using var int8 = SkateClassifier.Load(result.CheckpointPath, torch.CPU, cpu with { Precision = InferencePrecision.Int8 });
        Assert.StartsWith("int8", int8.EngineNote);
        Assert.DoesNotContain("int8", float32.EngineNote ?? "");
        var loader = new SkateBot.Vision.Imaging.ImageLoader(new SkateBot.Vision.Imaging.ImageLimits());
        var worst = 0.0;
        foreach (var file in Directory.GetFiles(dir.Combine("photos"), "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(4))
        {
            using var image = loader.Load(file);
            var a = float32.Classify([float32.Preprocess(image)]).Single();
            var b = int8.Classify([int8.Preprocess(image)]).Single();
            worst = Math.Max(worst, a.Probabilities.Max(p => Math.Abs(p.Value - b.Probabilities[p.Key])));
        }
        Assert.True(worst < 0.1, $"int8 probabilities differ from float by {worst:0.000}");
    }
}
