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

        var cpu = InferenceOptions.Default with { Engine = InferenceEngine.Onnx, Provider = OrtProvider.Cpu, Precision = InferencePrecision.Float };
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

    [Fact]
    public void Evaluation_MeasuresTheGraphThatIsServed()
    {
        // eval and the retrain gate must score the model people talk to: with int8 served, eval's probabilities are the
        // int8 graph's, not the float network's (they differ a little), photo by photo.
        using var dir = new TempDirectory("int8-eval");
        var result = TrainingData.TinyJob(TrainingData.TinySamples(dir.Combine("photos")), dir.Path, "q");
        var sources = TrainingData.Sources(dir.Combine("photos"));
        var cpu = InferenceOptions.Default with { Engine = InferenceEngine.Onnx, Provider = OrtProvider.Cpu };

        var int8Eval = Evaluation.EvaluationJob.Run(result.CheckpointPath, sources, torch.CPU, inference: cpu with { Precision = InferencePrecision.Int8 });
        var floatEval = Evaluation.EvaluationJob.Run(result.CheckpointPath, sources, torch.CPU, inference: cpu with { Precision = InferencePrecision.Float });
        using var served = SkateClassifier.Load(result.CheckpointPath, torch.CPU, cpu with { Precision = InferencePrecision.Int8 });

        Assert.StartsWith("onnxruntime cpu", int8Eval.Engine);
        Assert.Contains("int8", int8Eval.Engine);
        Assert.DoesNotContain("int8", floatEval.Engine);
        var loader = new SkateBot.Vision.Imaging.ImageLoader(new SkateBot.Vision.Imaging.ImageLimits());
        var largestGap = 0.0;
        foreach (var item in int8Eval.Result.Items)
        {
            using var image = loader.Load(item.Id);
            var answer = served.Classify([served.Preprocess(image)]).Single();
            for (var c = 0; c < served.Classes.Count; c++)
                Assert.Equal(answer.Probabilities[served.Classes[c]], item.Probabilities[c], 6);
            Assert.Equal(answer.Label, item.Answer);
            var floatItem = floatEval.Result.Items.Single(i => i.Id == item.Id);
            largestGap = Math.Max(largestGap, item.Probabilities.Zip(floatItem.Probabilities, (a, b) => Math.Abs(a - b)).Max());
        }
        Assert.True(largestGap > 0, "int8 and float evaluations gave identical probabilities: eval did not run the int8 graph");
    }

    [Fact]
    public void Retrain_FromACalibratedParent_ForwardsItsInt8Body()
    {
        // A retrain starts from the champion, whose checkpoint has the ranges: its frozen phase uses the int8 body.
        // A run from the ImageNet body has none, and stays float.
        using var dir = new TempDirectory("int8-retrain");
        var data = TrainingData.TinySamples(dir.Combine("photos"));
        var parent = TrainingData.TinyJob(data, dir.Path, "p");
        // The children train on other photos, so ranges measured again would differ from the parent's.
        SkateSampleGenerator.Generate(dir.Combine("other-photos"), perClass: 3, seed: 77);
        var otherData = TrainingData.FromFolder(dir.Combine("other-photos"), 0.34, seed: 2);
        TrainingJobResult Child(string version, int unfrozenEpochs) => TrainingJob.Run(new TrainingJobRequest
        {
            Data = otherData, Version = version, ModelsDirectory = dir.Combine("models"), RunsDirectory = dir.Combine("runs"),
            PretrainedCacheDirectory = PretrainedFixture.ModelsDirectory, ParentCheckpoint = parent.CheckpointPath, ParentVersion = "p",
            Options = new FineTuneOptions { FrozenEpochs = 1, UnfrozenEpochs = unfrozenEpochs, BatchSize = 4, CompositesPerStudioImage = 0, Seed = 9 },
        }, torch.CPU);
        var child = Child("c", unfrozenEpochs: 0);

        Assert.DoesNotContain("int8", parent.Result.FrozenBodyEngine);
        Assert.EndsWith(", int8", child.Result.FrozenBodyEngine);
        Assert.True(child.Result.FrozenBodyForwards > 0);

        // Head-only, the body is the parent's: its ranges are carried over, not measured again. A body that trained is.
        var parentRanges = CheckpointFile.ReadHeader(parent.CheckpointPath).Info.ActivationRanges!;
        var childRanges = CheckpointFile.ReadHeader(child.CheckpointPath).Info.ActivationRanges!;
        Assert.Equal(parentRanges.Keys.Order(), childRanges.Keys.Order());
        Assert.All(parentRanges, r => Assert.Equal(r.Value, childRanges[r.Key]));
        var trained = CheckpointFile.ReadHeader(Child("u", unfrozenEpochs: 1).CheckpointPath).Info.ActivationRanges!;
        Assert.Contains(parentRanges, r => !r.Value.SequenceEqual(trained[r.Key]));
    }
}
