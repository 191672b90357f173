using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkateBot.Configuration;
using SkateBot.Features.Models;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Vision;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Training;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>
/// A <see cref="RetrainingService"/> on a real database in a temp directory, with a fake trainer and evaluator: no
/// TorchSharp, no images decoded, so scheduling, locking and promotion are tested in milliseconds. The base folder holds
/// empty files with image names (the dataset only scans names; nothing opens them).
/// </summary>
public sealed class FakeRetraining : IDisposable
{
    public const int PerClass = 10;

    private readonly TempDirectory _root = new("skatebot-fake-retrain");
    private readonly List<SkateDatabase> _databases = [];

    public FakeRetraining()
    {
        BaseFolder = _root.Combine("base");
        foreach (var name in new[] { "aggressive", "inline" })
        {
            Directory.CreateDirectory(Path.Combine(BaseFolder, name));
            for (var i = 0; i < PerClass; i++) File.WriteAllBytes(Path.Combine(BaseFolder, name, $"{name}-{i}.jpg"), []);
        }
        Storage = new StorageOptions { DataDirectory = _root.Combine("data") };
        Db = Open();
    }

    public string BaseFolder { get; }

    public StorageOptions Storage { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public SkateDatabase Db { get; }

    public FakeTrainer Trainer { get; } = new();

    public FakeEvaluator Evaluator { get; } = new();

    public FakeLifetime Lifetime { get; } = new();

    public RetrainingOptions Options { get; } = new() { Schedule = "", HoldoutSharePercent = 50 };

    public ModelOptions Model { get; } = new() { TrainingThreads = 3 };

    /// <summary>A champion in the registry (its file holds no weights: only the fakes ever read it).</summary>
    public string AddChampion(string version = "v1")
    {
        var path = Path.Combine(Storage.ModelsDirectory, version + CheckpointFile.Extension);
        Directory.CreateDirectory(Storage.ModelsDirectory);
        File.WriteAllBytes(path, []);
        Db.Models.Register(new ModelVersionRecord { Version = version, FilePath = Path.GetRelativePath(Storage.FullDataDirectory, path), TrainingFingerprint = "f" });
        Db.Models.Promote(version, "test champion");
        return path;
    }

    /// <summary>A service as <c>serve</c> would have it; <paramref name="db"/> another connection, as another process has.</summary>
    public RetrainingService Service(SkateDatabase? db = null)
    {
        db ??= Db;
        return new RetrainingService(db, new ModelCatalog(db, Storage), new ImageLoader(new ImageLimits()), Trainer, Evaluator,
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new TrainingOptions { BaseFolders = [BaseFolder] }),
            Microsoft.Extensions.Options.Options.Create(Storage), Microsoft.Extensions.Options.Options.Create(Model), Time,
            NullLogger<RetrainingService>.Instance, lifetime: Lifetime);
    }

    /// <summary>Another connection to the same file (another process's view).</summary>
    public SkateDatabase Open()
    {
        var db = SkateDatabase.Open(Storage.FullDataDirectory, Time);
        _databases.Add(db);
        return db;
    }

    public void Dispose()
    {
        Trainer.Release();
        Trainer.ReleaseWarm();
        foreach (var db in _databases) db.Dispose();
        Lifetime.Dispose();
        _root.Dispose();
    }
}

/// <summary>Writes a placeholder checkpoint and returns its header; optionally holds the training until released or cancelled.</summary>
public sealed class FakeTrainer : IChallengerTrainer
{
    private readonly ManualResetEventSlim _release = new(initialState: true);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<TrainingJobRequest> Requests { get; } = [];

    /// <summary>The nice value of the thread each training ran on (<see cref="SkateBot.Vision.Devices.CpuPriority"/>).</summary>
    public List<int> Nice { get; } = [];

    /// <summary>Completes when a training has started (on the training thread).</summary>
    public Task Started => _started.Task;

    /// <summary>From now on a training waits until <see cref="Release"/> or its cancellation.</summary>
    public void Hold() => _release.Reset();

    public void Release() => _release.Set();

    private readonly ManualResetEventSlim _releaseWarm = new(initialState: true);
    private readonly TaskCompletionSource _warmStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Requests to precompute features (<see cref="WarmFeatures"/>), with the nice value of the thread each ran on.</summary>
    public List<(TrainingJobRequest Request, int Nice)> Warms { get; } = [];

    /// <summary>Completes when precomputing has started (on its thread).</summary>
    public Task WarmStarted => _warmStarted.Task;

    /// <summary>From now on precomputing waits until <see cref="ReleaseWarm"/> or its cancellation.</summary>
    public void HoldWarm() => _releaseWarm.Reset();

    public void ReleaseWarm() => _releaseWarm.Set();

    /// <summary>Thrown by <see cref="WarmFeatures"/> when set.</summary>
    public Exception? WarmFailure { get; set; }

    public FeatureWarmResult WarmFeatures(TrainingJobRequest request, ITrainingObserver observer, CancellationToken ct)
    {
        lock (Warms) Warms.Add((request, SkateBot.Vision.Devices.CpuPriority.CurrentThreadNice()));
        if (WarmFailure is { } failure) throw failure;
        _warmStarted.TrySetResult();
        _releaseWarm.Wait(ct);
        ct.ThrowIfCancellationRequested();
        return new FeatureWarmResult(CachedRows: 0, ComputedRows: request.Data.Train.Count, RepeatedRows: 0, TimeSpan.FromSeconds(1));
    }

    public TrainedChallenger Train(TrainingJobRequest request, ITrainingObserver observer, CancellationToken ct)
    {
        lock (Requests)
        {
            Requests.Add(request);
            Nice.Add(SkateBot.Vision.Devices.CpuPriority.CurrentThreadNice());
        }
        _started.TrySetResult();
        _release.Wait(ct); // throws OperationCanceledException when cancelled while held, as the fine-tuner does
        ct.ThrowIfCancellationRequested();
        var path = Path.Combine(request.ModelsDirectory, request.Version + CheckpointFile.Extension);
        Directory.CreateDirectory(request.ModelsDirectory);
        File.WriteAllBytes(path, []);
        return new TrainedChallenger(path, new CheckpointInfo
        {
            Version = request.Version, Classes = request.Data.Classes, TrainingFingerprint = request.Data.Fingerprint,
            Metrics = new Dictionary<string, double> { ["valid_error_rate"] = 0.1 },
        });
    }
}

/// <summary>Answers every image of a set: right, or wrong for the checkpoints named in <see cref="WrongOnEverything"/>.</summary>
public sealed class FakeEvaluator : IModelEvaluator
{
    public HashSet<string> WrongOnEverything { get; } = new(StringComparer.Ordinal);

    public List<(string Checkpoint, int Images, string? ReportDirectory)> Calls { get; } = [];

    public EvaluationResult Evaluate(string checkpointPath, IReadOnlyList<LabelledSource> images, string? reportDirectory, string? title, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (Calls) Calls.Add((checkpointPath, images.Count, reportDirectory));
        var classes = images.Select(i => i.ClassName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var wrong = WrongOnEverything.Contains(Path.GetFileNameWithoutExtension(checkpointPath));
        return new EvaluationResult
        {
            Classes = classes,
            Items = images.Select(i =>
            {
                var actual = classes.IndexOf(i.ClassName);
                var predicted = wrong ? (actual + 1) % classes.Count : actual;
                var probabilities = classes.Select((_, c) => c == predicted ? 0.9 : 0.1 / (classes.Count - 1)).ToArray();
                return new ItemPrediction(i.Id, actual, predicted, probabilities, wrong ? 2.3 : 0.1) { Answer = classes[predicted] };
            }).ToList(),
        };
    }
}

public sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => _stopping.Token;
    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
