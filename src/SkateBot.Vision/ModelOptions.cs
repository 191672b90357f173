using System.ComponentModel.DataAnnotations;

namespace SkateBot.Vision;

/// <summary>The <c>Model</c> section: where models run, what serves them, how replies are batched, how many threads.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";
    [RegularExpression("^(auto|cpu|cuda)$", ErrorMessage = "Model:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";
    /// <summary>What serves classifications: auto (ONNX Runtime, TorchSharp if the export or ONNX Runtime fails), onnx
    /// (ONNX Runtime or an error) or torch (TorchSharp, as in training). Training always uses TorchSharp.</summary>
    [RegularExpression("^(auto|onnx|torch)$", ErrorMessage = "Model:Engine must be auto, onnx or torch.")]
    public string Engine { get; set; } = "auto";
    /// <summary>float (default): the float export, probabilities within 1e-4 of TorchSharp's, so <c>eval</c> and the retrain
    /// gate measure exactly the model people talk to; int8: the checkpoint's int8 export (calibrated when it was trained),
    /// about 2-3x faster on CPU, answers that can differ from eval's on borderline photos (none of 129 shared photos did).</summary>
    [RegularExpression("^(float|int8)$", ErrorMessage = "Model:Precision must be float or int8.")]
    public string Precision { get; set; } = "float";
    [Range(1, 256)] public int MaxBatchSize { get; set; } = 16;
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:01", ErrorMessage = "Model:MaxBatchDelay must be between 00:00:00.001 and 00:00:01.")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(15);
    /// <summary>libtorch threads for background retraining, so replies keep flowing meanwhile.</summary>
    [Range(1, 256)] public int TrainingThreads { get; set; } = 1;
    /// <summary>Threads for classification; 0 = every core for ONNX Runtime (its own default) and half the cores (at least
    /// 1) for libtorch. On a busy 2-core host two OpenMP threads wait for each other at every layer (see bench/README.md),
    /// so one is the safer libtorch default there; ONNX Runtime on both cores answered 16 photos/s end to end where one
    /// thread answered about 12 (README, "Performance").</summary>
    [Range(0, 256)] public int InferenceThreads { get; set; }

    /// <summary>libtorch's threads for classification (the TorchSharp engine).</summary>
    public int EffectiveInferenceThreads => InferenceThreads > 0 ? InferenceThreads : Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>ONNX Runtime's threads for classification (the default engine).</summary>
    public int EffectiveOnnxThreads => InferenceThreads > 0 ? InferenceThreads : Math.Max(1, Environment.ProcessorCount);
}
