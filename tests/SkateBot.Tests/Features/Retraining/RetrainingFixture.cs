using System.Diagnostics;
using SkateBot.Features.Datasets;
using SkateBot.Features.Retraining;
using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Training;
using TorchSharp;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>A drawn image with its true class, as a user would post it.</summary>
public sealed record PoolImage(string Path, string ClassName, byte[] Bytes)
{
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Made once per test run and shared by the retraining and CLI tests: the imported ImageNet body (cached across runs in
/// the folder SkateBot.Vision.Tests uses), a small drawn base set, a pool of drawn images of another seed (the stream
/// users post), and a champion trained on the base set the way <c>train</c> does it but with frozen-body epochs only
/// (the head trains on cached body features: seconds, not minutes), plus the same weights saved as a second version
/// for promote and rollback.
/// </summary>
public sealed class RetrainingFixture : IDisposable
{
    public static readonly string PretrainedModels = Path.Combine(Path.GetTempPath(), "skatebot-test-cache", "models");

    /// <summary>Small on purpose: a champion trained on 2 × 8 drawn images gets roughly one pool image in five wrong,
    /// which gives the loop test its corrections.</summary>
    public const int BasePerClass = 8, PoolPerClass = 30, BaseSeed = 101, PoolSeed = 202;

    public static readonly ImageLoader Loader = new(new ImageLimits());

    private readonly TempDirectory _root = new("skatebot-retraining-fixture");

    public RetrainingFixture()
    {
        using (PretrainedBackbone.LoadOrImport(PretrainedModels).Module) { }
        BaseSet = _root.Combine("base");
        SkateSampleGenerator.Generate(BaseSet, BasePerClass, BaseSeed);
        var poolDir = _root.Combine("pool");
        SkateSampleGenerator.Generate(poolDir, PoolPerClass, PoolSeed);
        Pool = SkateSampleGenerator.ClassNames
            .SelectMany(c => Directory.GetFiles(Path.Combine(poolDir, c)).Order(StringComparer.Ordinal).Select(f => new PoolImage(f, c, File.ReadAllBytes(f))))
            .ToList();

        var clock = Stopwatch.StartNew();
        var trained = TrainingJob.Run(new TrainingJobRequest
        {
            Data = FolderDatasets.Build([BaseSet], validFraction: 0.2, seed: 42, Loader, new RetrainingOptions().HoldoutSharePercent),
            Version = "v1",
            ModelsDirectory = _root.Combine("models"),
            RunsDirectory = _root.Combine("runs"),
            PretrainedCacheDirectory = PretrainedModels,
            Options = new FineTuneOptions { FrozenEpochs = 2, UnfrozenEpochs = 0, BatchSize = 8, Threads = 2 },
        }, torch.CPU);
        ChampionTrainingSeconds = clock.Elapsed.TotalSeconds;
        Checkpoints["v1"] = trained.CheckpointPath;

        var (model, convention, info) = CheckpointFile.Load(trained.CheckpointPath, torch.CPU);
        using (model)
        {
            var second = _root.Combine("models", "v2" + CheckpointFile.Extension);
            CheckpointFile.Save(second, model, convention, info with { Version = "v2", ParentVersion = "v1" });
            Checkpoints["v2"] = second;
        }
    }

    /// <summary>Class-per-folder tree the champion was trained on (Training:BaseFolders in the tests).</summary>
    public string BaseSet { get; }

    /// <summary>2 × <see cref="PoolPerClass"/> drawn images of another seed, aggressive first.</summary>
    public IReadOnlyList<PoolImage> Pool { get; }

    /// <summary>"v1" (trained on <see cref="BaseSet"/>) and "v2" (the same weights under its own version).</summary>
    public Dictionary<string, string> Checkpoints { get; } = [];

    public double ChampionTrainingSeconds { get; }

    public void Dispose() => _root.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RetrainingCollection : ICollectionFixture<RetrainingFixture>
{
    public const string Name = "retraining and CLI (one trained champion, run serially to keep 2 cores for one job)";
}
