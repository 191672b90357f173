using System.ComponentModel.DataAnnotations;

namespace SkateBot.Configuration;

public sealed class StorageOptions
{
    public const string Section = "Storage";
    [Required] public string DataDirectory { get; set; } = "data/";

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
    public string ModelsDirectory => Path.Combine(FullDataDirectory, "models");
    public string RunsDirectory => Path.Combine(FullDataDirectory, "runs");
    /// <summary>Frozen-body features kept across retrains and <c>train</c> runs (SkateBot.Vision's FeatureCache).</summary>
    public string FeatureCacheDirectory => Path.Combine(FullDataDirectory, "cache", "features");
}

public sealed class ModelOptions
{
    public const string Section = "Model";
    [RegularExpression("^(auto|cpu|cuda)$", ErrorMessage = "Model:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";
    /// <summary>What serves classifications: auto (ONNX Runtime, TorchSharp if the export or ONNX Runtime fails), onnx
    /// (ONNX Runtime or an error) or torch (TorchSharp, as in training). Training always uses TorchSharp.</summary>
    [RegularExpression("^(auto|onnx|torch)$", ErrorMessage = "Model:Engine must be auto, onnx or torch.")]
    public string Engine { get; set; } = "auto";
    [Range(1, 256)] public int MaxBatchSize { get; set; } = 16;
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:01", ErrorMessage = "Model:MaxBatchDelay must be between 00:00:00.001 and 00:00:01.")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(15);
    /// <summary>libtorch threads for background retraining, so replies keep flowing meanwhile.</summary>
    [Range(1, 256)] public int TrainingThreads { get; set; } = 1;
    /// <summary>libtorch and ONNX Runtime threads for classification; 0 = half the cores (at least 1). On a busy 2-core host two OpenMP
    /// threads wait for each other at every layer (see bench/README.md), so one is the safer default there.</summary>
    [Range(0, 256)] public int InferenceThreads { get; set; }

    public int EffectiveInferenceThreads => InferenceThreads > 0 ? InferenceThreads : Math.Max(1, Environment.ProcessorCount / 2);
}

public sealed class ImagesOptions
{
    public const string Section = "Images";
    [Range(1, long.MaxValue)] public long MaxPixels { get; set; } = 40_000_000;
    [Range(1, long.MaxValue)] public long MaxBytes { get; set; } = 20 * 1024 * 1024;
    /// <summary>Images decoded at once by the service; more wait their turn, so a burst of huge photos cannot multiply the
    /// decode buffers (0: one per core).</summary>
    [Range(0, 256)] public int MaxConcurrentDecodes { get; set; }

    public int EffectiveConcurrentDecodes => MaxConcurrentDecodes > 0 ? MaxConcurrentDecodes : Environment.ProcessorCount;
}

public sealed class TrainingOptions
{
    public const string Section = "Training";
    /// <summary>Class-per-folder trees to train on besides the labels. Empty (the default) means: `train` uses
    /// <c>data/sample</c>, a retrain uses the champion's recorded folders (<c>data/sample</c> when it recorded none); set,
    /// it wins over both (see <see cref="Features.Datasets.BaseFolders"/>).</summary>
    public string[] BaseFolders { get; set; } = [];
    [Range(0, 100)] public int FrozenEpochs { get; set; } = 3;
    [Range(0, 100)] public int UnfrozenEpochs { get; set; } = 4;
    [Range(2, 1024)] public int BatchSize { get; set; } = 16;
    [Range(1e-6, 1)] public double LearningRate { get; set; } = 1e-3;
    [Range(0.0, 0.9)] public double ValidationFraction { get; set; } = 0.2;
    public int Seed { get; set; } = 42;
    /// <summary>How photos become model input: pad, crop or multi (see SkateBot.Vision's InputViews); recorded per model.</summary>
    [RegularExpression("^(pad|crop|multi)$")] public string Preprocessing { get; set; } = "multi";
    /// <summary>Composites per studio shot: its skate cut out and pasted into wild training photos (0 disables).</summary>
    [Range(0, 20)] public int CompositesPerStudioImage { get; set; } = 2;
    /// <summary>Loss weight of the "other" class (not an inline skate) relative to a skate class.</summary>
    [Range(0.01, 10)] public double OtherClassWeight { get; set; } = 0.5;
}
