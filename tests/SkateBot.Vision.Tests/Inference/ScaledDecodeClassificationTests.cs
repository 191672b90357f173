using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Tests.Imaging;
using SkateBot.Vision.Tests.Support;
using TorchSharp;

namespace SkateBot.Vision.Tests.Inference;

/// <summary>A photo decoded at the scale its views need is classified as when decoded in full.</summary>
[Collection(TrainingCollection.Name)]
public sealed class ScaledDecodeClassificationTests : IDisposable
{
    private readonly TempDirectory dir = new("scaled");

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(InputViews.Crop)]
    [InlineData(InputViews.Multi)]
    public void Classify_ScaledDecode_GivesTheFullDecodesProbabilities(string mode)
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(11);
        var path = dir.Combine("v1" + CheckpointFile.Extension);
        using (var model = new SkateNet(imported.Module, 2))
        {
            CheckpointFile.Save(path, model, imported.Convention,
                new CheckpointInfo { Version = "v1", Classes = ["a", "b"], TrainingFingerprint = "f", Preprocessing = mode });
        }
        using var classifier = SkateClassifier.Load(path, torch.CPU);
        var loader = new ImageLoader();
        var data = ScaledDecodeTests.Jpeg(ScaledDecodeTests.Scene(1600, 1200));

        using var full = loader.Load(data, "photo.jpg");
        using var scaled = loader.Load(data, "photo.jpg", InputViews.Need(classifier.Preprocessing, classifier.InputSize));
        var results = classifier.Classify([classifier.Preprocess(full), classifier.Preprocess(scaled.Image)]);

        Assert.True(scaled.Image.Width < full.Width, "the need allowed a scaled decode");
        foreach (var c in classifier.Classes)
        {
            var (p, q) = (results[0].Probabilities[c], results[1].Probabilities[c]);
            Assert.True(Math.Abs(p - q) < 0.03, $"{c}: full {p:F4} vs scaled {q:F4}");
        }
        // The class agrees wherever the full decode's answer is not a coin flip (a random head sits near 0.5).
        if (Math.Abs(results[0].Confidence - 0.5) > 0.03) Assert.Equal(results[0].BestClass, results[1].BestClass);
    }
}
