using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Configuration;
using SkateBot.Features.Classification;
using SkateBot.Features.Datasets;
using SkateBot.Features.Models;
using SkateBot.Storage;
using SkateBot.Vision;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Retraining;

/// <summary>
/// Runs one retrain at a time (in this process, and across processes through a lock file, so the CLI and the service
/// never train at once): fine-tunes the champion on a separate model instance with a bounded number of threads while the
/// champion keeps serving, evaluates champion and challenger on the same held-out set, and promotes only a challenger that
/// is not worse. Promotion is a registry entry plus an atomic swap in the model host (when this process has one).
/// A retrain also stops when the host stops (SIGTERM), whoever asked for it: the challenger is recorded as cancelled.
/// </summary>
public sealed partial class RetrainingService(
    SkateDatabase db, ModelCatalog catalog, ImageLoader loader, IChallengerTrainer trainer, IModelEvaluator evaluator,
    IOptions<RetrainingOptions> retraining, IOptions<TrainingOptions> training, IOptions<StorageOptions> storage,
    IOptions<ModelOptions> model, TimeProvider time, ILogger<RetrainingService> logger, ServingModel? serving = null,
    Observability.SkateBotMetrics? metrics = null, IHostApplicationLifetime? lifetime = null)
{
    /// <summary>Held by a retrain or by precomputing features: one at a time.</summary>
    private readonly SemaphoreSlim gate = new(1, 1);

    private readonly Lock sync = new();

    /// <summary>Cancels the features being precomputed (null when none are): a retrain does not wait for them.</summary>
    private CancellationTokenSource? precomputing;

    /// <summary>A retrain is waiting for precomputing to stop; a second one meanwhile is told "busy".</summary>
    private bool retrainWaiting;

    private volatile bool retrainRunning;

    /// <summary>The champion version whose features were last precomputed (or found unprecomputable).</summary>
    private string? precomputedFor;

    /// <summary>Whether a retrain is running (precomputing features does not count: a retrain takes over from it).</summary>
    public bool IsRunning => retrainRunning;

    public DateTimeOffset? LastFinished { get; private set; }

    public async Task<RetrainOutcome> RetrainAsync(string trigger, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        if (!await EnterForRetrainAsync(ct).ConfigureAwait(false)) return Busy();
        retrainRunning = true;
        // A /retrain from Discord runs on a token that outlives the gateway (so its answer still goes out): shutdown must
        // still stop the training, which can take far longer than the host's shutdown timeout.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime?.ApplicationStopping ?? CancellationToken.None);
        ct = stopping.Token;
        try
        {
            using var crossProcess = TryLock();
            if (crossProcess is null) return Busy();
            LogStarted(logger, trigger);
            // Training is CPU-bound and long: its own thread, never the thread pool that serves replies.
            // Its priority is lowered (Model:TrainingNice), so what follows must not run on it: the continuation goes to
            // the pool instead of running on the thread that completes the task.
            var outcome = await Task.Factory.StartNew(() => RunGuarded(trigger, progress, ct), ct,
                TaskCreationOptions.LongRunning | TaskCreationOptions.RunContinuationsAsynchronously, TaskScheduler.Default).ConfigureAwait(false);
            LogFinished(logger, outcome.Summary());
            metrics?.Retrained(outcome.Status);
            return outcome;
        }
        finally
        {
            LastFinished = time.GetUtcNow();
            retrainRunning = false;
            gate.Release();
        }
    }

    /// <summary>
    /// Takes the gate for a retrain: at once when it is free; when features are being precomputed, after cancelling that
    /// (what it computed stays cached) and waiting for it to stop; false when another retrain holds or awaits it.
    /// </summary>
    private async Task<bool> EnterForRetrainAsync(CancellationToken ct)
    {
        CancellationTokenSource? running;
        lock (sync)
        {
            if (gate.Wait(0)) return true;
            if (precomputing is null || retrainWaiting) return false;
            running = precomputing;
            retrainWaiting = true;
        }
        try
        {
            try { running.Cancel(); }
            catch (ObjectDisposedException) { /* it has just finished */ }
            await gate.WaitAsync(ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            lock (sync) retrainWaiting = false;
        }
    }

    /// <summary>
    /// Whether the serving champion's features for the next retrain have not been precomputed yet
    /// (<see cref="RetrainingOptions.PrecomputeFeatures"/>): true once per champion version.
    /// </summary>
    public bool ShouldPrecompute()
    {
        var options = retraining.Value;
        if (!options.PrecomputeFeatures || options.FrozenEpochs == 0 || options.StartFrom == RetrainingOptions.StartFromImageNet) return false;
        return catalog.Champion() is { } champion && champion.Record.Version != precomputedFor;
    }

    /// <summary>
    /// Computes, at the retrain's lowered priority and ahead of time, the frozen-body features the next retrain will read:
    /// its frozen phase forwards the champion's body over the base folders' photos, every label and the composites, so
    /// after a promotion the service does that while it is idle, and the retrain that follows forwards only what was
    /// labelled since. A retrain that starts meanwhile cancels it (what was computed stays cached). Null when the gate
    /// was taken, it was cancelled, or it failed (logged; the retrain then says why itself).
    /// </summary>
    public async Task<FeatureWarmResult?> PrecomputeFeaturesAsync(CancellationToken ct = default)
    {
        var champion = catalog.Champion();
        if (champion is null) return null;
        CancellationTokenSource cts;
        lock (sync)
        {
            if (!gate.Wait(0)) return null;
            cts = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime?.ApplicationStopping ?? CancellationToken.None);
            precomputing = cts;
        }
        var version = champion.Value.Record.Version;
        try
        {
            using var crossProcess = TryLock();
            if (crossProcess is null) return null;
            var result = await Task.Factory.StartNew(() =>
            {
                Vision.Devices.CpuPriority.LowerCurrentThread(model.Value.TrainingNice);
                return Precompute(champion.Value, cts.Token);
            }, cts.Token, TaskCreationOptions.LongRunning | TaskCreationOptions.RunContinuationsAsynchronously, TaskScheduler.Default).ConfigureAwait(false);
            precomputedFor = version;
            LogPrecomputed(logger, version, result.ComputedRows, result.CachedRows, result.Duration.TotalSeconds);
            return result;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Background work nobody awaits: whatever went wrong is logged, and not tried again for this champion (the
            // retrain meets the same problem and reports it when it runs).
            precomputedFor = version;
            LogPrecomputeFailed(logger, version, ex.Message);
            return null;
        }
        finally
        {
            lock (sync) precomputing = null;
            cts.Dispose();
            gate.Release();
        }
    }

    private FeatureWarmResult Precompute((ModelVersionRecord Record, string Path) champion, CancellationToken ct)
    {
        var baseFolders = BaseFolders.ForRetrain(training.Value, champion.Record);
        var data = RetrainingDataset.Build(baseFolders, db, loader, retraining.Value);
        var runDir = Path.Combine(storage.Value.RunsDirectory, $"precompute-{champion.Record.Version}");
        return trainer.WarmFeatures(Request(data, "precompute", runDir, champion.Path, champion.Record.Version), NullTrainingObserver.Instance, ct);
    }

    /// <summary>The training request of a retrain (or of precomputing its features) from <paramref name="parentCheckpoint"/>.</summary>
    private TrainingJobRequest Request(RetrainingData data, string version, string runDir, string? parentCheckpoint, string? parentVersion)
    {
        var options = retraining.Value;
        return new TrainingJobRequest
        {
            Data = data.Training,
            Version = version,
            ModelsDirectory = storage.Value.ModelsDirectory,
            FeatureCacheDirectory = storage.Value.FeatureCacheDirectory,
            RunsDirectory = runDir,
            RunId = "challenger-training",
            ParentCheckpoint = parentCheckpoint,
            ParentVersion = parentVersion,
            Options = new FineTuneOptions
            {
                FrozenEpochs = options.FrozenEpochs, UnfrozenEpochs = options.UnfrozenEpochs,
                BatchSize = training.Value.BatchSize, LearningRate = training.Value.LearningRate,
                Seed = training.Value.Seed, Threads = model.Value.TrainingThreads,
                Preprocessing = training.Value.Preprocessing, CompositesPerStudioImage = training.Value.CompositesPerStudioImage,
                OtherClassWeight = training.Value.OtherClassWeight, UnfreezeEarlyLayers = training.Value.UnfreezeEarlyLayers,
                OnnxBodyFeatures = training.Value.OnnxBodyFeatures, Int8BodyFeatures = training.Value.Int8BodyFeatures,
            },
        };
    }

    private RetrainOutcome RunGuarded(string trigger, IProgress<string>? progress, CancellationToken ct)
    {
        // This thread is the retrain's own (LongRunning) and ends with it: lowered here, every thread the retrain starts
        // inherits the priority, and replies on the thread pool come first.
        Vision.Devices.CpuPriority.LowerCurrentThread(model.Value.TrainingNice);
        try { return Run(trigger, progress, ct); }
        catch (OperationCanceledException) { return new RetrainOutcome { Status = RetrainStatus.Cancelled, Reason = "cancelled; the champion keeps serving." }; }
        catch (Exception ex) when (ex is ArgumentException or IOException or ImageLoadException or Vision.Data.DatasetException
            or Vision.Checkpoints.CheckpointException)
        {
            // e.g. no data yet, a missing base folder, an unreadable champion: say so, keep serving.
            return new RetrainOutcome { Status = RetrainStatus.Failed, Reason = ex.Message + " The champion keeps serving." };
        }
    }

    private RetrainOutcome Run(string trigger, IProgress<string>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var options = retraining.Value;
        var champion = catalog.Champion();
        // The champion's own folders unless Training:BaseFolders says otherwise: a model trained on real photos must not be
        // retrained and judged on the drawn samples.
        var baseFolders = BaseFolders.ForRetrain(training.Value, champion?.Record);
        // Labels that have stood long enough (or were confirmed) are frozen before anything reads them, so a relabelling
        // that arrives now cannot change how this or any later challenger is judged on them.
        var newlyTrusted = TrustedHoldout.Admit(db, options, time.GetUtcNow());
        var data = RetrainingDataset.Build(baseFolders, db, loader, options);
        var version = catalog.NextVersion();
        var runId = $"{time.GetUtcNow():yyyyMMdd-HHmmss}-retrain-{version}";
        var runDir = Path.Combine(storage.Value.RunsDirectory, runId);
        // The checkpoint the challenger starts from: the champion's, unless it is trained from the ImageNet body.
        var parentCheckpoint = options.StartFrom == RetrainingOptions.StartFromImageNet ? null : champion?.Path;
        progress?.Report($"Retraining {version} from {(parentCheckpoint is null ? "the ImageNet body" : champion!.Value.Record.Version)}: {data.Training.Train.Count} images, {data.Holdout.Count} held out, {data.Corrected.Count} corrected.");
        progress?.Report($"Base folders ({baseFolders.Origin}): {BaseFolders.Describe(baseFolders.Folders)}");
        progress?.Report($"Held out: {data.Trusted.Count} trusted (base folders and frozen labels, {newlyTrusted.Count} newly trusted), {data.Labelled.Count} labelled.");
        TrainedChallenger trained;
        try
        {
            trained = trainer.Train(Request(data, version, runDir, parentCheckpoint, champion?.Record.Version), new ProgressObserver(progress), ct);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var cancelled = ex is OperationCanceledException;
            var reason = cancelled ? "the training was cancelled; the champion keeps serving." : $"training failed ({ex.Message}); the champion keeps serving.";
            RecordFailure(version, data, baseFolders, reason, cancelled);
            return Write(runDir, new RetrainOutcome
            {
                Status = cancelled ? RetrainStatus.Cancelled : RetrainStatus.Failed, Reason = reason, Version = version,
                ChampionVersion = champion?.Record.Version, Seconds = clock.Elapsed.TotalSeconds, ReportDirectory = runDir,
            });
        }

        RetrainJudgement judged;
        try
        {
            judged = RetrainJudgement.Measure(trained.CheckpointPath, version, champion, data, evaluator, runDir, progress, ct);
        }
        catch (OperationCanceledException)
        {
            const string reason = "the evaluation was cancelled; the champion keeps serving.";
            RecordFailure(version, data, baseFolders, reason, cancelled: true);
            return Write(runDir, new RetrainOutcome
            {
                Status = RetrainStatus.Cancelled, Reason = reason, Version = version, ChampionVersion = champion?.Record.Version,
                Seconds = clock.Elapsed.TotalSeconds, ReportDirectory = runDir,
            });
        }
        var (trusted, labelled) = (judged.Trusted, judged.Labelled);
        var (promote, why) = PromotionRule.Decide(trusted, labelled, judged.CorrectedAccuracy, data.Corrected.Count, options);
        catalog.Register(trained.CheckpointPath, trained.Info, champion?.Record.Version, baseFolders.Folders, judged.Metrics(data.Holdout.Count));
        if (promote)
        {
            db.Models.Promote(version, $"{trigger}: {why}");
            // Only a process that serves swaps at once; a CLI process serves nothing (the service's poll picks the promotion up).
            if (serving?.IsServing == true) serving.Refresh();
        }
        else
        {
            db.Models.Reject(version, why);
        }
        return Write(runDir, new RetrainOutcome
        {
            Status = promote ? RetrainStatus.Promoted : RetrainStatus.Rejected,
            Reason = promote ? $"Promoted because {why}" : $"Rejected because {why} The champion keeps serving.",
            // An empty held-out set gives NaN, which JSON (retrain.json, `retrain --json`) cannot carry: no number instead.
            Version = version, ChampionVersion = champion?.Record.Version, ChampionError = Finite(judged.ChampionError),
            ChallengerError = Finite(judged.ChallengerError),
            TrustedCount = trusted.Count, ChampionTrustedError = Finite(trusted.Champion), ChallengerTrustedError = Finite(trusted.Challenger),
            LabelledCount = labelled.Count, ChampionLabelledError = Finite(labelled.Champion), ChallengerLabelledError = Finite(labelled.Challenger),
            NewlyTrusted = newlyTrusted.Count,
            CorrectedAccuracy = Finite(judged.CorrectedAccuracy), CorrectedCount = data.Corrected.Count,
            HoldoutCount = data.Holdout.Count, TrainCount = data.Training.Train.Count, ReportDirectory = runDir,
            ConfusionMatrixPng = Path.Combine(runDir, "challenger", "confusion_matrix.png"), Seconds = clock.Elapsed.TotalSeconds,
        });
    }

    private void RecordFailure(string version, RetrainingData data, BaseFolderChoice baseFolders, string reason, bool cancelled)
    {
        // The registry refuses an empty file path (which made this throw, turning every training failure or cancellation
        // into an unrecorded "failed" with the registry's argument message): record where the checkpoint would be.
        var path = Path.GetRelativePath(storage.Value.FullDataDirectory, Path.Combine(storage.Value.ModelsDirectory, version + CheckpointFile.Extension));
        db.Models.Register(new ModelVersionRecord
        {
            Version = version, FilePath = path, TrainingFingerprint = data.Training.Fingerprint, BaseFolders = [.. baseFolders.Folders],
        });
        if (cancelled) db.Models.Cancel(version, reason);
        else db.Models.Fail(version, reason);
    }

    private static RetrainOutcome Write(string runDir, RetrainOutcome outcome)
    {
        Directory.CreateDirectory(runDir);
        File.WriteAllText(Path.Combine(runDir, "retrain.json"), JsonSerializer.Serialize(outcome, new JsonSerializerOptions { WriteIndented = true }));
        return outcome;
    }

    private FileStream? TryLock()
    {
        Directory.CreateDirectory(storage.Value.FullDataDirectory);
        try
        {
            return new FileStream(Path.Combine(storage.Value.FullDataDirectory, "retrain.lock"), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException) { return null; }
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static RetrainOutcome Busy() => new() { Status = RetrainStatus.Busy, Reason = "another retraining is running." };

    private sealed class ProgressObserver(IProgress<string>? progress) : ITrainingObserver
    {
        public void Message(string text) => progress?.Report(text);
        public void EpochCompleted(EpochResult r) =>
            progress?.Report($"{r.Phase} epoch {r.Epoch}/{r.TotalEpochs}: train loss {r.TrainLoss:0.000}, held-out error {r.ErrorRate:P1}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Precomputed the next retrain's body features for {Version}: {Computed} rows computed, {Cached} already cached, in {Seconds:0.0} s.")]
    private static partial void LogPrecomputed(ILogger logger, string version, int computed, int cached, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not precompute the next retrain's body features for {Version}: {Reason}")]
    private static partial void LogPrecomputeFailed(ILogger logger, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retraining started ({Trigger}).")]
    private static partial void LogStarted(ILogger logger, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retraining finished: {Summary}")]
    private static partial void LogFinished(ILogger logger, string summary);
}
