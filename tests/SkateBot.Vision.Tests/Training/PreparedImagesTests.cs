using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Training;

namespace SkateBot.Vision.Tests.Training;

/// <summary><see cref="PreparedImages.Load"/> decoding side by side: the examples' order kept, bad ones reported in order.</summary>
public sealed class PreparedImagesTests
{
    [Fact]
    public void Load_OnSeveralThreads_KeepsTheOrder_DownsizesAndReportsTheBadOnesInOrder()
    {
        var examples = Enumerable.Range(0, 40).Select(i => new TrainingExample($"img-{i}", i % 2, () =>
        {
            if (i % 13 == 5) throw new InvalidDataException($"broken {i}");
            Thread.Sleep(i % 3); // finish out of order
            return new Image<Rgb24>(600 + i, 400);
        })).ToList();
        var skipped = new List<string>();

        using var prepared = PreparedImages.Load(examples, workingSide: 100, new Skips(skipped), CancellationToken.None, threads: 4);

        var kept = Enumerable.Range(0, 40).Where(i => i % 13 != 5).ToList();
        Assert.Equal(kept.Select(i => $"img-{i}"), prepared.Items.Select(p => p.Example.Id));
        Assert.All(prepared.Items, p => Assert.Equal(100, p.Image.Height));
        Assert.Equal(["img-5: broken 5", "img-18: broken 18", "img-31: broken 31"], skipped);
    }

    private sealed class Skips(List<string> skipped) : ITrainingObserver
    {
        public void ImageSkipped(string id, string reason) => skipped.Add($"{id}: {reason}");
    }
}
