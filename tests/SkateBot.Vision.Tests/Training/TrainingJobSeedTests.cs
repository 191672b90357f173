using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Tests.Support;
using SkateBot.Vision.Training;
using TorchSharp;

namespace SkateBot.Vision.Tests.Training;

/// <summary>A training run is what its seed says, whatever the process drew from libtorch's generator before.</summary>
[Collection(TrainingCollection.Name)]
public sealed class TrainingJobSeedTests
{
    [Fact]
    public void Run_SameSeedAfterOtherRandomDraws_SavesTheSameWeights()
    {
        using var dir = new TempDirectory("training-seed");
        var data = TrainingData.TinySamples(dir.Combine("photos"));

        float[] Train(string version)
        {
            var result = TrainingData.TinyJob(data, dir.Path, version);
            var (model, _, _) = CheckpointFile.Load(result.CheckpointPath, torch.CPU);
            using (model) return model.Head.parameters().SelectMany(p => p.cpu().data<float>().ToArray()).ToArray();
        }

        var first = Train("a");
        using (torch.randn(1000)) { } // anything else in the process that draws from the generator (another run, a test)
        var second = Train("b");

        Assert.Equal(first, second);
    }
}
