using System.ComponentModel.DataAnnotations;

namespace SkateBot.Configuration;

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
    /// <summary>Seeded validation share for a folder without <c>valid/</c>; 0: the retrain gate's held-out share (see <see cref="Features.Datasets.FolderDatasets.Build"/>).</summary>
    [Range(0.0, 0.9)] public double ValidationFraction { get; set; } = 0.2;
    public int Seed { get; set; } = 42;
    /// <summary>How photos become model input: pad, crop or multi (see SkateBot.Vision's InputViews); recorded per model.</summary>
    [RegularExpression("^(pad|crop|multi)$")] public string Preprocessing { get; set; } = "multi";
    /// <summary>Composites per studio shot: its skate cut out and pasted into wild training photos (0 disables).</summary>
    [Range(0, 20)] public int CompositesPerStudioImage { get; set; } = 2;
    /// <summary>Loss weight of the "other" class (not an inline skate) relative to a skate class.</summary>
    [Range(0.01, 10)] public double OtherClassWeight { get; set; } = 0.5;
    /// <summary>Whether the body's early layers (conv1 to layer2) train in the unfrozen epochs too (fast.ai's way; off by default).</summary>
    public bool UnfreezeEarlyLayers { get; set; }
    /// <summary>On CPU, compute the frozen body's features on ONNX Runtime instead of libtorch (same features within 1e-4, faster).</summary>
    public bool OnnxBodyFeatures { get; set; } = true;
    /// <summary>With <see cref="OnnxBodyFeatures"/>, a retrain forwards the champion's int8 body (its calibration ranges are in its checkpoint).</summary>
    public bool Int8BodyFeatures { get; set; } = true;
}
