using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;

namespace SkateBot.Tests.Features.RedditScanning;

/// <summary>
/// One real SkateNet checkpoint per test run: a seeded, randomly initialised ResNet18 body with a 64-pixel input, so it
/// saves and classifies in milliseconds and needs no pretrained weights. Tests decide "uncertain" and "confident" with
/// the thresholds (Reddit:UncertainBelowConfidence 1.01 → everything, 0 → nothing), never with the model's output; so the
/// checkpoint also turns off the "too close to call" answer (UnsureBelow 0): replies always name a class.
/// </summary>
public sealed class TinyModelFixture : IDisposable
{
    public static readonly string[] Classes = ["aggressive_skates", "inline_skates"];
    public const string Version = "tiny-1";
    private readonly TempDirectory _dir = new("skatebot-tiny-model");

    public TinyModelFixture()
        : this(Classes, temperature: 1)
    {
    }

    /// <summary>A tiny model with other <paramref name="classes"/>; a large <paramref name="temperature"/> makes every answer
    /// nearly uniform (with an <c>other</c> class among three, P(other) ≈ 1/3: always a named skate class). Not a
    /// constructor: a collection fixture may have only one public constructor.</summary>
    public static TinyModelFixture With(string[] classes, double temperature) => new(classes, temperature);

    private TinyModelFixture(string[] classes, double temperature)
    {
        CheckpointPath = _dir.Combine("tiny" + CheckpointFile.Extension);
        const int size = 64;
        torch.manual_seed(7);
        using var model = new SkateNet(new ResNet18Backbone(ResNet18Geometry.Torchvision), classes.Length);
        var convention = new InputConvention("test-rgb-0..1", bgr: false, scale: 1f, size: size, meanImage: new float[3 * size * size]);
        CheckpointFile.Save(CheckpointPath, model, convention,
            new CheckpointInfo { Version = Version, Classes = classes, TrainingFingerprint = "tiny", UnsureBelow = 0, Temperature = temperature });
    }

    public string CheckpointPath { get; }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RedditScanningCollection : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "Reddit scanning end to end (one tiny model, run serially)";
}
