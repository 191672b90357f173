using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;

namespace SkateBot.Sandbox.Tests.Support;

/// <summary>
/// One real checkpoint per test run: a seeded, randomly initialised ResNet18 body at 64 pixels (as in SkateBot.Tests'
/// TinyModelFixture), so a sandbox that finds it registered as champion skips the first training and answers in
/// milliseconds. Tests here check plumbing, never the model's judgement.
/// </summary>
public sealed class TinyModel : IDisposable
{
    public const string Version = "tiny-1";
    private readonly TempDirectory _dir = new("skatebot-sandbox-tiny");

    public TinyModel()
    {
        CheckpointPath = _dir.Combine("tiny" + CheckpointFile.Extension);
        const int size = 64;
        torch.manual_seed(7);
        using var model = new SkateNet(new ResNet18Backbone(ResNet18Geometry.Torchvision), 2);
        var convention = new InputConvention("test-rgb-0..1", bgr: false, scale: 1f, size: size, meanImage: new float[3 * size * size]);
        CheckpointFile.Save(CheckpointPath, model, convention,
            new CheckpointInfo { Version = Version, Classes = ["aggressive_skates", "inline_skates"], TrainingFingerprint = "tiny", UnsureBelow = 0 });
    }

    public string CheckpointPath { get; }

    /// <summary>Makes the tiny model the champion of a (new) data folder.</summary>
    public void InstallIn(string dataDirectory)
    {
        using var db = SkateDatabase.Open(dataDirectory);
        db.Models.Register(new ModelVersionRecord { Version = Version, FilePath = CheckpointPath, TrainingFingerprint = "tiny" });
        db.Models.Promote(Version, "test fixture");
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<TinyModel>
{
    public const string Name = "sandbox (one tiny model; run serially, 2 cores)";
}
