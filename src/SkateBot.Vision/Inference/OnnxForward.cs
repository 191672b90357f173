using Microsoft.ML.OnnxRuntime;
using SkateBot.Vision.Export;

namespace SkateBot.Vision.Inference;

/// <summary>
/// An ONNX Runtime session over an exported <see cref="Network.SkateNet"/> graph: [N,3,S,S] RGB 0..1 in, raw logits
/// [N,classes] out, any N. <see cref="Forward"/> may be called from several threads at once (ORT's session is
/// thread-safe, and each concurrent call gets its own input buffer): the frozen phase of training runs one-thread runs
/// side by side; the <see cref="ModelHost"/> serialises its own use.
/// </summary>
internal sealed class OnnxForward : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames = [SkateNetOnnxExporter.InputName];
    private readonly string[] outputNames = [SkateNetOnnxExporter.OutputName];
    private readonly int size;
    private readonly int classes;
    private readonly int perRun;
    /// <summary>Input buffers, one per run in flight (one when runs are serialised).</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<float[]> buffers = [];

    public string Provider { get; }

    private OnnxForward(InferenceSession session, string provider, int size, int classes, int perRun)
    {
        this.perRun = perRun;
        this.session = session;
        Provider = provider;
        this.size = size;
        this.classes = classes;
    }

    /// <param name="cudaDevice">The CUDA device index when the torch device is CUDA, else null.</param>
    /// <param name="imagesPerRun">Images per ONNX Runtime run (a larger batch is split): fewer hold less working memory.</param>
    public static OnnxForward Create(byte[] graph, int size, int classes, InferenceOptions options, int? cudaDevice, int imagesPerRun = MaxImagesPerRun)
    {
        if (imagesPerRun < 1) throw new ArgumentOutOfRangeException(nameof(imagesPerRun));
        var threads = options.Threads > 0 ? options.Threads : TorchSharp.torch.get_num_threads();
        var wantCuda = options.Provider == OrtProvider.Cuda || (options.Provider == OrtProvider.Auto && (cudaDevice is not null || IsGpuBuild));
        if (wantCuda)
        {
            try
            {
                return new OnnxForward(new InferenceSession(graph, Options(threads, cudaDevice ?? 0, options.CpuMemoryArena)), $"onnxruntime cuda:{cudaDevice ?? 0}", size, classes, imagesPerRun);
            }
            catch (Exception) when (options.Provider == OrtProvider.Auto && cudaDevice is null)
            {
                // The GPU build on a host without a usable GPU (or without the CUDA 13 libraries / cuDNN 9): serve on the CPU.
            }
        }
        return new OnnxForward(new InferenceSession(graph, Options(threads, null, options.CpuMemoryArena)), $"onnxruntime cpu ({threads} threads)", size, classes, imagesPerRun);
    }

    /// <summary>True in the build made with <c>-p:OrtBackend=cuda</c> (Microsoft.ML.OnnxRuntime.Gpu.Linux).</summary>
    public static bool IsGpuBuild =>
#if SKATEBOT_ORT_CUDA
        true;
#else
        false;
#endif

    private static SessionOptions Options(int threads, int? cuda, bool arena)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Without the arena, activation buffers go back to the system after each run: measured on 2 cores with batches
            // of 16, resident memory stays at ~600 MB instead of ~800 MB, at no measurable cost in throughput.
            EnableCpuMemArena = arena,
        };
        try
        {
            if (cuda is { } device) AppendCuda(options, device);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The CUDA execution provider on <paramref name="device"/>, with TF32 off: TF32 convolutions round to a 10-bit
    /// mantissa, which would break the 1e-4 parity with TorchSharp's float32 answers.
    /// </summary>
    private static void AppendCuda(SessionOptions options, int device)
    {
        using var cuda = new OrtCUDAProviderOptions();
        var settings = new Dictionary<string, string> { ["device_id"] = device.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        try
        {
            cuda.UpdateOptions(new Dictionary<string, string>(settings) { ["use_tf32"] = "0" });
        }
        catch (OnnxRuntimeException)
        {
            cuda.UpdateOptions(settings); // a build without the use_tf32 option
        }
        options.AppendExecutionProvider_CUDA(cuda);
    }

    /// <summary>Raw logits, row-major [count, classes], of <paramref name="images"/> (each 3·S·S planar RGB 0..1).</summary>
    public float[] Forward(IReadOnlyList<float[]> images)
    {
        if (images.Count <= perRun) return Run(images);
        // More views than that (16 photos of 3 views) would only raise the peak memory: the per-image cost is flat by then.
        var logits = new float[images.Count * classes];
        for (var start = 0; start < images.Count; start += perRun)
        {
            var chunk = images.Skip(start).Take(perRun).ToList();
            Run(chunk).CopyTo(logits, start * classes);
        }
        return logits;
    }

    /// <summary>Images per ONNX Runtime run by default; a larger batch is split.</summary>
    public const int MaxImagesPerRun = 16;

    private float[] Run(IReadOnlyList<float[]> images)
    {
        var pixels = 3 * size * size;
        var length = images.Count * pixels;
        // One input buffer per concurrent run for the session's life (at most MaxImagesPerRun images, ~9.6 MB at 224)
        // instead of a large array per run: large-object garbage only goes back at a full GC, and resident memory was seen
        // creeping with it.
        if (!buffers.TryTake(out var buffer) || buffer.Length < length) buffer = new float[length];
        try
        {
            for (var i = 0; i < images.Count; i++)
            {
                if (images[i].Length != pixels)
                    throw new ArgumentException($"input {i} has {images[i].Length} values; expected 3*{size}*{size}");
                images[i].CopyTo(buffer, i * pixels);
            }
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length),
                [images.Count, 3, size, size]);
            using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            if (logits.Length != images.Count * classes)
                throw new InvalidOperationException($"the ONNX graph returned {logits.Length} logits for {images.Count} inputs of {classes} classes");
            return logits.ToArray();
        }
        finally
        {
            buffers.Add(buffer);
        }
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
