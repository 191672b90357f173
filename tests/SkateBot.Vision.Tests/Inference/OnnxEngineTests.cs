using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Export;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Inference;

/// <summary>
/// The ONNX export served by ONNX Runtime answers like the TorchSharp model it came from. The checkpoint is a fine-tuned
/// stand-in: every weight of the imported body and of the head moved by seeded noise, and every BatchNorm's running
/// statistics and affine changed (so the folded head and the body's norms are really exercised), a temperature and
/// three classes including <c>other</c>.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class OnnxEngineTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly InferenceOptions Torch = new(InferenceEngine.Torch);
    // The provider follows SKATEBOT_ORT_PROVIDER, so bench/gpu-check.sh runs this parity check on CUDA.
    // Float: these are the float export's parity and cache tests (int8 has its own below and in Int8CalibrationTests).
    private static readonly InferenceOptions Onnx = InferenceOptions.Default with { Engine = InferenceEngine.Onnx, Precision = InferencePrecision.Float };
    private readonly TempDirectory dir = new("onnx-engine");

    public void Dispose() => dir.Dispose();

    private string FineTunedCheckpoint(string version = "ft1")
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(11);
        using var model = new SkateNet(imported.Module, 3);
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                if (name.EndsWith("weight", StringComparison.Ordinal) && p.dim() > 1) p.add_(randn_like(p) * (p.std() * 0.05));
                else p.add_(randn_like(p) * 0.1);
            }
            foreach (var (name, b) in model.named_buffers())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) b.add_(randn_like(b) * 0.1);
                else if (name.EndsWith("running_var", StringComparison.Ordinal)) b.mul_(rand_like(b) + 0.5);
            }
        }
        var path = dir.Combine(version + CheckpointFile.Extension);
        CheckpointFile.Save(path, model, imported.Convention, new CheckpointInfo
        {
            Version = version, Classes = ["aggressive", "other", "recreational"], TrainingFingerprint = "f", Temperature = 1.7,
        });
        return path;
    }

    private static float[] Image(int seed)
    {
        // Smooth gradients plus noise: closer to a photo than pure noise, so the features differ between images.
        var rng = new Random(seed);
        var data = new float[3 * 224 * 224];
        double fx = rng.NextDouble() * 0.05, fy = rng.NextDouble() * 0.05;
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 224; y++)
                for (var x = 0; x < 224; x++)
                    data[(c * 224 + y) * 224 + x] = (float)Math.Clamp(0.5 + 0.4 * Math.Sin(fx * x * (c + 1) + fy * y) + 0.1 * (rng.NextDouble() - 0.5), 0, 1);
        return data;
    }

    [Fact]
    public void Onnx_MatchesTorchSharp_ProbabilitiesWithin1e4_SingleAndMultiView()
    {
        var path = FineTunedCheckpoint();
        using var torchModel = SkateClassifier.Load(path, CPU, Torch);
        using var onnxModel = SkateClassifier.Load(path, CPU, Onnx);
        Assert.StartsWith("torchsharp", torchModel.Engine);
        Assert.StartsWith("onnxruntime", onnxModel.Engine);

        // One photo of three views (averaged logits), two of one view, in one batch; then one alone (batch 1).
        float[][][] photos = [[Image(1), Image(2), Image(3)], [Image(4)], [Image(5)]];
        double worst = 0;
        // Six photos of three views: 18 images, more than ONNX Runtime gets in one run (OnnxForward.MaxImagesPerRun).
        var many = Enumerable.Range(10, 6).Select(s => new[] { Image(s), Image(s + 100), Image(s + 200) }).ToArray();
        foreach (var batch in new[] { photos, photos[..1], photos[2..], many })
        {
            var expected = torchModel.Classify(batch);
            var actual = onnxModel.Classify(batch);
            for (var i = 0; i < batch.Length; i++)
            {
                foreach (var c in torchModel.Classes)
                {
                    worst = Math.Max(worst, Math.Abs(expected[i].Probabilities[c] - actual[i].Probabilities[c]));
                    Assert.True(Math.Abs(expected[i].Probabilities[c] - actual[i].Probabilities[c]) <= 1e-4,
                        $"photo {i} class {c}: torch {expected[i].Probabilities[c]:R} vs onnx {actual[i].Probabilities[c]:R}");
                }
                Assert.Equal(expected[i].Label, actual[i].Label);
                Assert.Equal(expected[i].BestClass, actual[i].BestClass);
                Assert.Equal(expected[i].UnsureReason, actual[i].UnsureReason);
                Assert.Equal(expected[i].ViewsUsed, actual[i].ViewsUsed);
            }
        }

        output.WriteLine($"largest probability difference {onnxModel.Engine} vs {torchModel.Engine}: {worst:E2}");

        // The probabilities are not all the same answer (the check above would be weak if the model were constant).
        var spread = torchModel.Classify(photos).Select(r => r.Probabilities["aggressive"]).ToList();
        Assert.True(spread.Max() - spread.Min() > 1e-3, $"the fine-tuned stand-in answers every photo alike: {string.Join(", ", spread)}");
    }

    [Fact]
    public void BodyExport_GivesTheBodysFeatures_Within1e4()
    {
        // The frozen phase of training forwards its views through this graph (FineTuneOptions.OnnxBodyFeatures).
        var path = FineTunedCheckpoint("body");
        var (model, convention, _) = CheckpointFile.Load(path, CPU);
        using (model)
        {
            model.eval();
            float[][] images = [Image(7), Image(8), Image(9)];
            float[] expected;
            using (no_grad())
            using (NewDisposeScope())
                expected = model.Body.forward(convention.Apply(SkateBot.Vision.Training.TensorBatches.Stack(images, convention.Size, CPU))).data<float>().ToArray();
            using var onnx = OnnxForward.Create(SkateNetOnnxExporter.ExportBody(model.Body, convention), convention.Size, 512, Onnx, null);
            var actual = onnx.Forward(images);

            Assert.Equal(3 * 512, actual.Length);
            var scale = expected.Max(Math.Abs);
            Assert.True(scale > 0.1, $"features this small ({scale}) would make the comparison weak");
            var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
            output.WriteLine($"body features: largest difference {worst:E2} of values up to {scale:0.00}");
            Assert.True(worst <= 1e-4 * Math.Max(1, scale), $"largest difference {worst:E2}");
        }
    }

    [Fact]
    public void Int8_WithoutCalibration_ServesFloat_AndSaysWhy()
    {
        // A checkpoint written before int8 serving has no activation ranges: Model:Precision=int8 must not fail the load.
        var path = FineTunedCheckpoint("nocal");
        using var classifier = SkateClassifier.Load(path, CPU, Onnx with { Precision = InferencePrecision.Int8, Provider = OrtProvider.Cpu });
        Assert.Contains("no int8 calibration", classifier.EngineNote);
        Assert.Equal(3, classifier.Classify([Image(3)]).Single().Probabilities.Count);
    }

    [Fact]
    public void Int8Export_GivesTheFloatExportsProbabilities_Within01()
    {
        var path = FineTunedCheckpoint("q8");
        var (model, convention, _) = CheckpointFile.Load(path, CPU);
        using (model)
        {
            model.eval();
            var ranges = ActivationCalibration.Measure(model, convention, Enumerable.Range(1, 8).Select(Image), threads: 2);
            var options = Onnx with { Provider = OrtProvider.Cpu };
            using var float32 = OnnxForward.Create(SkateNetOnnxExporter.Export(model, convention), convention.Size, 3, options, null);
            using var int8 = OnnxForward.Create(SkateNetQdqExporter.Quantized(model, convention, ranges), convention.Size, 3, options, null);
            float[][] images = [Image(20), Image(21), Image(22), Image(23)];
            static double[] Softmax(float[] z, int row) =>
                z.Skip(row * 3).Take(3).Select(v => Math.Exp(v - z.Skip(row * 3).Take(3).Max())).ToArray() is var e ? e.Select(v => v / e.Sum()).ToArray() : [];
            var a = float32.Forward(images);
            var b = int8.Forward(images);
            var worst = Enumerable.Range(0, images.Length).Max(r => Softmax(a, r).Zip(Softmax(b, r)).Max(p => Math.Abs(p.First - p.Second)));
            output.WriteLine($"int8 vs float: largest probability difference {worst:0.0000}");
            Assert.True(worst < 0.1, $"largest probability difference {worst:0.000}");
            Assert.NotEqual(a, b); // it really is another graph
        }
    }

    [Fact]
    public void Onnx_ExportIsCachedNextToTheCheckpoint_KeyedByItsHash()
    {
        var path = FineTunedCheckpoint("cached");
        using (var first = SkateClassifier.Load(path, CPU, Onnx)) Assert.Equal("graph exported at load", first.EngineNote);
        var cache = Directory.GetFiles(dir.Path, "cached" + CheckpointFile.Extension + ".*.onnx");
        Assert.Single(cache);
        using (var second = SkateClassifier.Load(path, CPU, Onnx)) Assert.Equal("graph from the export cache", second.EngineNote);

        // The exported graph reads back with the project's own ONNX reader: one symbolic-batch input, the logits out.
        var graph = OnnxModelReader.Read(cache[0]);
        Assert.Equal("SkateBot", graph.ProducerName);
        Assert.Equal(SkateNetOnnxExporter.InputName, Assert.Single(graph.Inputs).Name);
        Assert.Equal([null, 3, 224, 224], graph.Inputs[0].Shape);
        Assert.Equal([null, 3], Assert.Single(graph.Outputs).Shape);

        // A rewritten checkpoint gets a new export; the stale one is removed.
        File.Copy(FineTunedCheckpoint("other-weights"), path, overwrite: true);
        using (var third = SkateClassifier.Load(path, CPU, Onnx)) Assert.Equal("graph exported at load", third.EngineNote);
        Assert.NotEqual(cache[0], Assert.Single(Directory.GetFiles(dir.Path, "cached" + CheckpointFile.Extension + ".*.onnx")));
    }

    [Theory]
    [InlineData(null, InferenceEngine.Auto)]
    [InlineData("auto", InferenceEngine.Auto)]
    [InlineData("ONNX", InferenceEngine.Onnx)]
    [InlineData("torch", InferenceEngine.Torch)]
    public void ParseEngine_KnownValues(string? setting, InferenceEngine expected) => Assert.Equal(expected, InferenceOptions.ParseEngine(setting));

    [Fact]
    public void ParseEngine_Unknown_NamesTheSetting() =>
        Assert.Contains("Model:Engine", Assert.Throws<ArgumentException>(() => InferenceOptions.ParseEngine("tensorrt")).Message);
}
