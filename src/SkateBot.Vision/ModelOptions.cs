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
    /// <summary>int8 (default): the checkpoint's int8 export (calibrated when it was trained), about 2-3x faster than float
    /// on CPUs with VNNI; float: the float export, probabilities within 1e-4 of TorchSharp's. Either way <c>predict</c>,
    /// <c>eval</c>, the service and the retrain gate run the same graph (<see cref="Serving"/>); a checkpoint without
    /// calibration ranges, and CUDA, are served in float.</summary>
    [RegularExpression("^(float|int8)$", ErrorMessage = "Model:Precision must be float or int8.")]
    public string Precision { get; set; } = "int8";
    [Range(1, 256)] public int MaxBatchSize { get; set; } = 16;
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:01", ErrorMessage = "Model:MaxBatchDelay must be between 00:00:00.001 and 00:00:01.")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(15);
    /// <summary>Threads for background retraining (libtorch, and the frozen phase's side-by-side ONNX Runtime runs). They run
    /// at <see cref="TrainingNice"/>, so replies keep flowing meanwhile: on 2 cores two such threads retrain about twice as
    /// fast as one, and at nice 19 replies at 16 photos/s kept a p99 within 2× of theirs without a retrain (README,
    /// "Performance").</summary>
    [Range(1, 256)] public int TrainingThreads { get; set; } = 2;
    /// <summary>The nice value (0-19, Linux) a background retrain's threads run at, so that replies preempt them; 0 leaves
    /// them at the service's priority (<see cref="Devices.CpuPriority"/>).</summary>
    [Range(0, 19)] public int TrainingNice { get; set; } = 19;
    /// <summary>Threads for classification; 0 = every core for ONNX Runtime (its own default) and half the cores (at least
    /// 1) for libtorch. On a busy 2-core host two OpenMP threads wait for each other at every layer (see bench/README.md),
    /// so one is the safer libtorch default there; ONNX Runtime on both cores answered 16 photos/s end to end where one
    /// thread answered about 12 (README, "Performance").</summary>
    [Range(0, 256)] public int InferenceThreads { get; set; }

    /// <summary>
    /// How this section serves a checkpoint: <paramref name="started"/> (what the process was started with, e.g. the ORT
    /// provider from SKATEBOT_ORT_PROVIDER) with the engine, ONNX Runtime threads and precision set here. SKATEBOT_PRECISION,
    /// and SKATEBOT_ENGINE, when set, win over <c>Model:Precision</c> and <c>Model:Engine</c> (to compare from the command line). Everything that answers
    /// or measures a model (the service, <c>predict</c>, <c>eval</c>, the retrain gate, <c>simulate</c>) goes through
    /// this, so eval measures the very graph people talk to.
    /// </summary>
    public Inference.InferenceOptions Serving(Inference.InferenceOptions started) => started with
    {
        Engine = Inference.InferenceOptions.ParseEngine(Environment.GetEnvironmentVariable("SKATEBOT_ENGINE") is { Length: > 0 } engine ? engine : Engine),
        Threads = EffectiveOnnxThreads,
        Precision = Environment.GetEnvironmentVariable("SKATEBOT_PRECISION") is { Length: > 0 } env
            ? Inference.InferenceOptions.ParsePrecision(env) : Inference.InferenceOptions.ParsePrecision(Precision),
    };

    /// <summary>libtorch's threads for classification (the TorchSharp engine).</summary>
    public int EffectiveInferenceThreads => InferenceThreads > 0 ? InferenceThreads : Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>ONNX Runtime's threads for classification (the default engine).</summary>
    public int EffectiveOnnxThreads => InferenceThreads > 0 ? InferenceThreads : Math.Max(1, Environment.ProcessorCount);
}
