namespace SkateBot.Vision.Inference;

/// <summary>Which engine runs a loaded model's forward pass. Training always uses TorchSharp.</summary>
public enum InferenceEngine
{
    /// <summary>ONNX Runtime, falling back to TorchSharp (with the reason in <see cref="SkateClassifier.EngineNote"/>) if the export or session fails.</summary>
    Auto,
    /// <summary>ONNX Runtime only: a failure to export or load is an error.</summary>
    Onnx,
    /// <summary>TorchSharp, as in training.</summary>
    Torch,
}

/// <summary>The arithmetic of the ONNX Runtime forward pass.</summary>
public enum InferencePrecision
{
    /// <summary>32-bit floats, probabilities within 1e-4 of TorchSharp's.</summary>
    Float,
    /// <summary>int8 weights and activations (QDQ, calibrated when the checkpoint was trained): about 2-3x faster on CPUs
    /// with VNNI; checkpoints without calibration ranges and CUDA are served in float.</summary>
    Int8,
}

/// <summary>ONNX Runtime's execution provider.</summary>
public enum OrtProvider
{
    /// <summary>CUDA when the torch device is CUDA or this is the GPU build (<c>-p:OrtBackend=cuda</c>) and a GPU answers; else CPU.</summary>
    Auto,
    Cpu,
    /// <summary>CUDA or fail (needs the GPU build, <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c>, and the CUDA 13 libraries + cuDNN 9 on the host).</summary>
    Cuda,
}

/// <param name="Engine">See <see cref="InferenceEngine"/>.</param>
/// <param name="Threads">ONNX Runtime intra-op threads; 0: the same as libtorch (<c>torch.get_num_threads()</c>, which follows OMP_NUM_THREADS).</param>
/// <param name="Provider">See <see cref="OrtProvider"/>.</param>
/// <param name="CacheExport">Keep the exported graph next to the checkpoint (keyed by the checkpoint's hash) so the next load skips the export.</param>
/// <param name="CpuMemoryArena">ONNX Runtime's CPU arena keeps the largest batch's activations allocated (~200 MB more resident); off by default.</param>
/// <param name="Precision">See <see cref="InferencePrecision"/>.</param>
/// <param name="FirstViewAbove">Overrides the checkpoint's <see cref="ViewCascade"/> threshold (null: the checkpoint's; 1: every view always), to compare.</param>
public sealed record InferenceOptions(InferenceEngine Engine = InferenceEngine.Auto, int Threads = 0, OrtProvider Provider = OrtProvider.Auto,
    bool CacheExport = true, bool CpuMemoryArena = false, double? FirstViewAbove = null, InferencePrecision Precision = InferencePrecision.Float)
{
    /// <summary>
    /// What <see cref="SkateClassifier.Load(string, TorchSharp.torch.Device)"/> uses: set once at start from the
    /// <c>Model:Engine</c> setting (and <c>SKATEBOT_ENGINE</c> for tools that read no settings).
    /// </summary>
    public static InferenceOptions Default { get; set; } = new(
        ParseEngine(Environment.GetEnvironmentVariable("SKATEBOT_ENGINE")),
        Provider: ParseProvider(Environment.GetEnvironmentVariable("SKATEBOT_ORT_PROVIDER")),
        // int8 unless SKATEBOT_PRECISION says float, as Model:Precision's default (an InferenceOptions built in code is float).
        Precision: Environment.GetEnvironmentVariable("SKATEBOT_PRECISION") is { Length: > 0 } precision
            ? ParsePrecision(precision) : InferencePrecision.Int8);

    /// <summary><c>auto</c> (or empty), <c>cpu</c>, <c>cuda</c> (SKATEBOT_ORT_PROVIDER; bench/gpu-check.sh sets cuda so nothing falls back quietly).</summary>
    public static OrtProvider ParseProvider(string? setting) => (setting ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => OrtProvider.Auto,
        "cpu" => OrtProvider.Cpu,
        "cuda" => OrtProvider.Cuda,
        _ => throw new ArgumentException($"SKATEBOT_ORT_PROVIDER must be 'auto', 'cpu' or 'cuda', not '{setting}'.", nameof(setting)),
    };

    /// <summary><c>float</c> (or empty) or <c>int8</c> (Model:Precision; SKATEBOT_PRECISION for the command line).</summary>
    public static InferencePrecision ParsePrecision(string? setting) => (setting ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "float" or "fp32" => InferencePrecision.Float,
        "int8" => InferencePrecision.Int8,
        _ => throw new ArgumentException($"Model:Precision must be 'float' or 'int8', not '{setting}'.", nameof(setting)),
    };

    /// <summary><c>auto</c> (or empty), <c>onnx</c>, <c>torch</c>.</summary>
    public static InferenceEngine ParseEngine(string? setting) => (setting ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => InferenceEngine.Auto,
        "onnx" or "ort" or "onnxruntime" => InferenceEngine.Onnx,
        "torch" or "torchsharp" => InferenceEngine.Torch,
        _ => throw new ArgumentException($"Model:Engine must be 'auto', 'onnx' or 'torch', not '{setting}'.", nameof(setting)),
    };
}
