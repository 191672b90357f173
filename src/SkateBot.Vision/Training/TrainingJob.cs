using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

public sealed record TrainingJobRequest
{
    public required TrainingSet Data { get; init; }
    public required string Version { get; init; }
    public required string ModelsDirectory { get; init; }
    public required string RunsDirectory { get; init; }
    public FineTuneOptions Options { get; init; } = new();
    /// <summary>Start from this checkpoint's weights (fine-tuning the champion) instead of the ImageNet body.</summary>
    public string? ParentCheckpoint { get; init; }
    public string? ParentVersion { get; init; }
    public string RunId { get; init; } = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-train";
    /// <summary>Where the imported ImageNet body is cached (default: <see cref="ModelsDirectory"/>).</summary>
    public string? PretrainedCacheDirectory { get; init; }
    /// <summary>Where frozen-body features are kept across runs (<see cref="FeatureCache"/>, e.g. <c>data/cache/features</c>); null: not kept.</summary>
    public string? FeatureCacheDirectory { get; init; }
    /// <summary>Most bytes the feature cache keeps (least recently used entries go first).</summary>
    public long FeatureCacheMaxBytes { get; init; } = FeatureCache.DefaultMaxBytes;
}

public sealed record TrainingJobResult(string Version, string CheckpointPath, string ReportDirectory, FineTuneResult Result);

/// <summary>One training run end to end: build the network, fine-tune, save a checkpoint, write the report.</summary>
public static class TrainingJob
{
    public static TrainingJobResult Run(TrainingJobRequest request, Devices.ComputeDevice device, ITrainingObserver? observer = null, CancellationToken ct = default) =>
        Run(request, device.Torch, observer, ct);

    /// <summary>
    /// One run at a time per process: libtorch's random generator and thread count are process-wide, so two runs at once
    /// would draw from each other's sequence and neither would be what its seed says.
    /// </summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static TrainingJobResult Run(TrainingJobRequest request, Device device, ITrainingObserver? observer = null, CancellationToken ct = default)
    {
        observer ??= NullTrainingObserver.Instance;
        request.Data.Validate();
        OneAtATime.Wait(ct);
        NativeHeap.UseMappedLargeBlocks();
        try
        {
            // Seeded before the network is built: a new head's initial weights come from this generator too, and without
            // this they depended on whatever the process had drawn before (the same seed gave different models).
            manual_seed(request.Options.Seed);
            return RunJob(request, device, observer, ct);
        }
        finally
        {
            // Tensors only the finalizer would free, then the heap they leave: a long-running bot keeps none of the run.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            NativeHeap.Trim();
            OneAtATime.Release();
        }
    }

    public static FeatureWarmResult WarmFeatureCache(TrainingJobRequest request, Devices.ComputeDevice device, ITrainingObserver? observer = null, CancellationToken ct = default) =>
        WarmFeatureCache(request, device.Torch, observer, ct);

    /// <summary>
    /// Computes the frozen body's features that <see cref="Run"/> with this request would need and keeps them in
    /// <see cref="TrainingJobRequest.FeatureCacheDirectory"/>, without training or writing a checkpoint: the service does
    /// this for a new champion while it is idle, so the next retrain (whose frozen phase forwards the champion's body)
    /// reads them instead of forwarding them. Nothing to do without a cache directory or frozen epochs.
    /// </summary>
    public static FeatureWarmResult WarmFeatureCache(TrainingJobRequest request, Device device, ITrainingObserver? observer = null, CancellationToken ct = default)
    {
        observer ??= NullTrainingObserver.Instance;
        request.Data.Validate();
        if (request.FeatureCacheDirectory is null || request.Options.FrozenEpochs == 0) return FeatureWarmResult.None;
        OneAtATime.Wait(ct);
        NativeHeap.UseMappedLargeBlocks();
        try
        {
            manual_seed(request.Options.Seed);
            var (model, convention, parentRanges) = CreateModel(request, device, observer);
            using (model)
            {
                var options = parentRanges is not null && request.Options.Int8BodyFeatures ? request.Options with { BodyRanges = parentRanges } : request.Options;
                GC.Collect();
                var cache = new FeatureCache(request.FeatureCacheDirectory, request.FeatureCacheMaxBytes);
                return new FineTuner(options, device, observer, cache).Warm(model, convention, request.Data, ct);
            }
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            NativeHeap.Trim();
            OneAtATime.Release();
        }
    }

    private static TrainingJobResult RunJob(TrainingJobRequest request, Device device, ITrainingObserver observer, CancellationToken ct)
    {
        var (model, convention, parentRanges) = CreateModel(request, device, observer);
        var parentBody = parentRanges is null ? null : FeatureCache.BodyVersion(model.Body, convention);
        // The parent's body is the frozen phase's body: its int8 calibration lets that phase forward the int8 body.
        if (parentRanges is not null && request.Options.Int8BodyFeatures)
            request = request with { Options = request.Options with { BodyRanges = parentRanges } };
        // Reading a checkpoint leaves its bytes (tens of MB, large-object heap) as garbage that would sit under the peak.
        GC.Collect();
        using (model)
        {
            var cache = request.FeatureCacheDirectory is { } dir ? new FeatureCache(dir, request.FeatureCacheMaxBytes) : null;
            var result = new FineTuner(request.Options, device, observer, cache).Run(model, convention, request.Data, ct);
            var path = Path.Combine(request.ModelsDirectory, request.Version + CheckpointFile.Extension);
            var metrics = new Dictionary<string, double>
            {
                ["valid_error_rate"] = result.Validation.ErrorRate,
                ["valid_loss"] = result.Validation.Loss,
                ["valid_images"] = result.Validation.Count,
                ["train_images"] = request.Data.Train.Count,
                ["seconds"] = result.Duration.TotalSeconds,
            };
            // A head-only run leaves the parent's body as it was (checked by its hash): its ranges still hold (the head stays
            // float), and measuring them again would cost a retrain 192 float forwards (~7 s on one thread).
            var ranges = parentBody is not null && parentBody == FeatureCache.BodyVersion(model.Body, convention)
                ? parentRanges!.ToDictionary(r => r.Key, r => r.Value.ToArray())
                : CalibrateInt8(model, convention, request.Data.Train, request.Options.Preprocessing, observer);
            CheckpointFile.Save(path, model, convention, new CheckpointInfo
            {
                Version = request.Version,
                Classes = request.Data.Classes,
                TrainingFingerprint = request.Data.Fingerprint,
                Metrics = metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(),
                ParentVersion = request.ParentVersion,
                Preprocessing = request.Options.Preprocessing,
                Temperature = result.Temperature,
                ActivationRanges = ranges,
            });
            var report = RunReportWriter.Write(Path.Combine(request.RunsDirectory, request.RunId), $"{request.Version}: validation",
                result.Validation, result.Epochs, new Dictionary<string, object?>
                {
                    ["version"] = request.Version,
                    ["parent_version"] = request.ParentVersion,
                    ["fingerprint"] = request.Data.Fingerprint,
                    ["skipped_images"] = result.SkippedImages,
                    ["composite_images"] = result.CompositeImages,
                    ["preprocessing"] = request.Options.Preprocessing,
                    ["temperature"] = Math.Round(result.Temperature, 4),
                    ["seconds"] = Math.Round(result.Duration.TotalSeconds, 1),
                    ["frozen_body_forwards"] = result.FrozenBodyForwards,
                    ["cached_feature_rows"] = result.CachedFeatureRows,
                    ["frozen_repeated_rows"] = result.FrozenRepeatedRows,
                });
            return new TrainingJobResult(request.Version, path, report, result);
        }
    }

    private static (SkateNet, InputConvention, IReadOnlyDictionary<string, float[]>?) CreateModel(TrainingJobRequest request, Device device, ITrainingObserver observer)
    {
        if (request.ParentCheckpoint is { } parent)
        {
            var (model, convention, info) = CheckpointFile.Load(parent, device);
            if (info.Classes.SequenceEqual(request.Data.Classes)) return (model, convention, info.ActivationRanges);
            // The classes changed: keep the fine-tuned body and what the head knows about the classes both versions share.
            observer.Message($"Classes changed since {info.Version} ({string.Join(", ", info.Classes)} → {string.Join(", ", request.Data.Classes)}); " +
                "keeping its body and its head's knowledge of the shared classes.");
            var carried = new SkateNet(model.Body, request.Data.Classes.Count);
            carried.Head.CarryOver(model.Head, info.Classes, request.Data.Classes);
            model.Head.Dispose();
            return (carried, convention, info.ActivationRanges);
        }
        observer.Message("Loading the ImageNet ResNet18 body…");
        var imported = PretrainedBackbone.LoadOrImport(request.PretrainedCacheDirectory ?? request.ModelsDirectory);
        return (new SkateNet(imported.Module, request.Data.Classes.Count), imported.Convention, null);
    }

    /// <summary>Training photos calibrated on for the int8 export: at most this many, spread evenly over the set.</summary>
    internal const int CalibrationImages = 64;

    /// <summary>
    /// The activation ranges the int8 export needs (<c>Model:Precision=int8</c>), measured on the plain input views of up to
    /// <see cref="CalibrationImages"/> training photos (a few seconds). A failure costs only int8: the checkpoint is then
    /// served in float, and the reason is said.
    /// </summary>
    internal static Dictionary<string, float[]>? CalibrateInt8(Network.SkateNet model, Model.InputConvention convention,
        IReadOnlyList<TrainingExample> train, string preprocessing, ITrainingObserver observer)
    {
        if (train.Count == 0) return null;
        try
        {
            model.eval();
            var step = Math.Max(1, train.Count / CalibrationImages);
            var views = Enumerable.Range(0, Math.Min(CalibrationImages, train.Count)).Select(i => train[i * step % train.Count])
                .SelectMany(example => { using var image = example.Open(); return Imaging.InputViews.Make(image, preprocessing, convention.Size); });
            return Export.ActivationCalibration.Measure(model, convention, views, Math.Max(1, TorchSharp.torch.get_num_threads()));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            observer.Message($"int8 calibration skipped ({ex.GetType().Name}: {ex.Message}); this model will be served in float only.");
            return null;
        }
    }
}
