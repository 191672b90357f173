using SkateBot.Testing.Paths;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Tests.Support;
using SkateBot.Vision.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace SkateBot.Vision.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class FineTunerTests(ITestOutputHelper output)
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpochResult> Epochs { get; } = [];
        public List<double> BatchLosses { get; } = [];
        public void BatchCompleted(string phase, int epoch, int batch, int batches, double loss) => BatchLosses.Add(loss);
        public void EpochCompleted(EpochResult result) => Epochs.Add(result);
    }

    [Fact]
    public void Run_TinySeededSet_TrainingLossFalls()
    {
        using var dir = new TempDirectory("tiny-train");
        SkateSampleGenerator.Generate(dir.Path, perClass: 12, seed: 7);
        var data = TrainingData.FromFolder(dir.Path, 0.25, seed: 3);
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var model = new SkateNet(imported.Module, data.Classes.Count);
        var recorder = new Recorder();
        var options = new FineTuneOptions { FrozenEpochs = 6, UnfrozenEpochs = 1, BatchSize = 8, LearningRate = 5e-3, CachedAugmentedViews = 1, Seed = 11 };

        var result = new FineTuner(options, torch.CPU, recorder).Run(model, imported.Convention, data);

        foreach (var e in result.Epochs) output.WriteLine($"{e.Phase} {e.Epoch}: train {e.TrainLoss:0.000} valid {e.ValidLoss:0.000} error {e.ErrorRate:0.000}");
        Assert.Equal(7, result.Epochs.Count);
        Assert.True(result.Epochs[5].TrainLoss < result.Epochs[0].TrainLoss * 0.8,
            $"frozen-phase train loss should fall: first {result.Epochs[0].TrainLoss:0.000}, last {result.Epochs[5].TrainLoss:0.000}");
        Assert.All(recorder.BatchLosses, l => Assert.True(double.IsFinite(l)));
        Assert.Equal(data.Valid.Count, result.Validation.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_UnfrozenEpoch_EarlyLayersTrainOnlyWhenAsked(bool unfreezeEarly)
    {
        using var dir = new TempDirectory("early-layers");
        SkateSampleGenerator.Generate(dir.Path, perClass: 6, seed: 5);
        var data = TrainingData.FromFolder(dir.Path, 0.25, seed: 3);
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var model = new SkateNet(imported.Module, data.Classes.Count);
        var groups = model.Body.ParameterGroups();
        float[][] Snapshot(int group) => groups[group].Select(p => p.detach().cpu().data<float>().ToArray()).ToArray();
        var early = Snapshot(0);
        var late = Snapshot(1);
        var options = new FineTuneOptions
        {
            FrozenEpochs = 0, UnfrozenEpochs = 1, BatchSize = 4, LearningRate = 5e-3, CachedAugmentedViews = 0, Seed = 2,
            UnfreezeEarlyLayers = unfreezeEarly,
        };

        var result = new FineTuner(options, torch.CPU, new Recorder()).Run(model, imported.Convention, data);

        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
        static bool Same(float[][] a, float[][] b) => a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
        Assert.False(Same(late, Snapshot(1)), "layer3 and layer4 should learn in the unfrozen epoch");
        Assert.Equal(!unfreezeEarly, Same(early, Snapshot(0)));
    }

    [Fact]
    public void Run_UnreadableImage_IsSkippedAndReported()
    {
        using var dir = new TempDirectory("skip-train");
        SkateSampleGenerator.Generate(dir.Path, perClass: 4, seed: 9);
        var broken = Path.Combine(dir.Path, "inline_skates", "broken.jpg");
        File.WriteAllText(broken, "not an image");
        var data = TrainingData.FromFolder(dir.Path, 0.25);
        var messages = new List<string>();
        var observer = new SkipRecorder(messages);
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var model = new SkateNet(imported.Module, data.Classes.Count);

        var result = new FineTuner(new FineTuneOptions { FrozenEpochs = 1, UnfrozenEpochs = 0, BatchSize = 4, CachedAugmentedViews = 0 }, torch.CPU, observer)
            .Run(model, imported.Convention, data);

        Assert.Equal(1, result.SkippedImages);
        Assert.Contains(messages, m => m.Contains("broken.jpg"));
    }

    private sealed class SkipRecorder(List<string> messages) : ITrainingObserver
    {
        public void ImageSkipped(string id, string reason) => messages.Add(reason);
    }

    [Fact]
    public void Options_InvalidValues_AreRefusedWithAMessage()
    {
        Assert.Throws<ArgumentException>(() => new FineTuneOptions { FrozenEpochs = 0, UnfrozenEpochs = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new FineTuneOptions { BatchSize = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new FineTuneOptions { LearningRate = 0 }.Validate());
    }
}
