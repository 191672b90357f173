using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Tests.Support;
using TorchSharp;

namespace SkateBot.Vision.Tests.Inference;

[Collection(TrainingCollection.Name)]
public sealed class ModelHostTests : IDisposable
{
    private readonly TempDirectory dir = new("host");

    public void Dispose() => dir.Dispose();

    private string Checkpoint(string version, int seed)
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(seed);
        using var model = new SkateNet(imported.Module, 2);
        var path = dir.Combine(version + CheckpointFile.Extension);
        CheckpointFile.Save(path, model, imported.Convention, new CheckpointInfo { Version = version, Classes = ["a", "b"], TrainingFingerprint = "f" });
        return path;
    }

    private static float[] Input(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Fact]
    public async Task ClassifyAsync_NoModel_ThrowsClearError()
    {
        await using var host = new ModelHost();
        Assert.Contains("No model", Assert.Throws<ModelNotReadyException>(() => { _ = host.ClassifyAsync(Input(1)); }).Message);
    }

    [Fact]
    public async Task Publish_DuringConcurrentRequests_AllSucceedAndLaterOnesUseTheNewVersion()
    {
        var v1 = Checkpoint("v1", 1);
        var v2 = Checkpoint("v2", 2);
        await using var host = new ModelHost(new ModelHostOptions(MaxBatchSize: 4, MaxBatchDelay: TimeSpan.FromMilliseconds(5)));
        host.Publish(SkateClassifier.Load(v1, torch.CPU));
        var input = Input(3);

        var before = Enumerable.Range(0, 12).Select(_ => host.ClassifyAsync(input)).ToList();
        host.Publish(SkateClassifier.Load(v2, torch.CPU));
        var results = await Task.WhenAll(before);
        var after = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.ClassifyAsync(input)));

        Assert.All(results, r => Assert.Contains(r.ModelVersion, new[] { "v1", "v2" }));
        Assert.All(after, r => Assert.Equal("v2", r.ModelVersion));
        Assert.Equal("v2", host.CurrentVersion);
        Assert.All(results.Concat(after), r => Assert.InRange(r.Probabilities.Values.Sum(), 0.999, 1.001));
    }

    [Fact]
    public async Task ClassifyAsync_BatchesOverTime_AllRunOnTheHostsOwnThreadWithItsTorchThreadCount()
    {
        await using var host = new ModelHost(new ModelHostOptions(MaxBatchSize: 4, MaxBatchDelay: TimeSpan.FromMilliseconds(5), Threads: 1));
        host.Publish(SkateClassifier.Load(Checkpoint("v1", 1), torch.CPU));
        var input = Input(4);

        var seen = new List<(int ThreadId, bool IsThreadPoolThread, int TorchThreads)>();
        for (var i = 0; i < 6; i++)
        {
            // Lone requests and bursts, each awaited, with the thread pool busy in between: on pool threads the
            // batches would land on whichever worker was free, where libtorch's per-thread count was never set.
            await Task.WhenAll(Enumerable.Range(0, 1 + i % 3).Select(_ => host.ClassifyAsync(input)));
            seen.Add(host.LastBatch);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Thread.Sleep(1))));
        }

        Assert.Single(seen.Distinct());
        Assert.False(seen[0].IsThreadPoolThread);
        Assert.Equal(1, seen[0].TorchThreads);
    }
}
