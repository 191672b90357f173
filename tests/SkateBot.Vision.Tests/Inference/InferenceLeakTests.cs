using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Tests.Support;
using TorchSharp;

namespace SkateBot.Vision.Tests.Inference;

/// <summary>
/// Classifying leaves nothing behind: no live TorchSharp tensor (counted by TorchSharp's dispose-scope statistics on
/// this thread) after warm-up, with either engine, and the ONNX Runtime path's managed heap stays flat. The 10,000-photo
/// resident-memory figure is a benchmark (bench/memory-check.sh), not a timed test.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class InferenceLeakTests : IDisposable
{
    private readonly TempDirectory dir = new("leak");

    public void Dispose() => dir.Dispose();

    private string Checkpoint()
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(3);
        using var model = new SkateNet(imported.Module, 2);
        var path = dir.Combine("leak" + CheckpointFile.Extension);
        CheckpointFile.Save(path, model, imported.Convention, new CheckpointInfo { Version = "leak", Classes = ["a", "b"], TrainingFingerprint = "f" });
        return path;
    }

    private static float[][][] Photos(int seed)
    {
        var rng = new Random(seed);
        float[] View() => Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)rng.NextDouble()).ToArray();
        return [[View(), View(), View()], [View()]];
    }

    private static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Theory]
    [InlineData(InferenceEngine.Torch)]
    [InlineData(InferenceEngine.Onnx)]
    public void Classify_Repeatedly_LeavesNoLiveTensor(InferenceEngine engine)
    {
        using var classifier = SkateClassifier.Load(Checkpoint(), torch.CPU, InferenceOptions.Default with { Engine = engine });
        var photos = Photos(1);
        for (var i = 0; i < 3; i++) classifier.Classify(photos); // warm-up: one-time caches (the convention's mean image)
        var before = LiveTensors;
        for (var i = 0; i < 25; i++) classifier.Classify(photos);
        Assert.Equal(before, LiveTensors);
    }

    [Fact]
    public void Onnx_Classify_Repeatedly_KeepsTheManagedHeapFlat()
    {
        using var classifier = SkateClassifier.Load(Checkpoint(), torch.CPU, InferenceOptions.Default with { Engine = InferenceEngine.Onnx });
        var photos = Photos(2);
        for (var i = 0; i < 5; i++) classifier.Classify(photos);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 40; i++) classifier.Classify(photos);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        // 40 batches of 4 views would be 40 × 2.4 MB if any input buffer were kept; allow 1 MB of noise.
        Assert.True(after - before < 1_000_000, $"managed heap grew by {after - before:N0} bytes over 40 batches");
    }
}
