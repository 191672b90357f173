using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Bench;

/// <summary>
/// Per-image cost of each stage of a classification: decode + preprocess of a 12 MP JPEG, the SkateNet forward at
/// batch 1 and 16 on the configured device, and ONNX Runtime running the same ResNet18.onnx backbone at batch 1
/// (the export is fixed at batch 1). Batch 16 uses OperationsPerInvoke = 16, so every row of the table is per image.
/// Not sealed: BenchmarkDotNet derives a runner type from the benchmark class.
/// </summary>
[Config(typeof(BenchConfig))]
public class VisionBenchmarks
{
    public const int InputSize = 224;
    public const int LargeBatch = 16;
    public const int Burst = 32;

    private ImageLoader loader = null!;
    private byte[] jpeg = null!;
    private SkateNet? model;
    private InputConvention convention = null!;
    private Tensor? batch;
    private InferenceSession? session;
    private OrtValue? ortInput;
    private string[] ortInputNames = null!;
    private string[] ortOutputNames = null!;
    private RunOptions? runOptions;
    private SkateClassifier? classifier;
    private ModelHost? host;
    private IReadOnlyList<float[][]> one = null!;
    private IReadOnlyList<float[][]> sixteen = null!;

    [GlobalSetup(Targets = [nameof(DecodeAndPreprocess), nameof(DecodeScaledAndPreprocess), nameof(PipelineFullDecode), nameof(PipelineScaledDecode)])]
    public void SetupDecode()
    {
        jpeg = SyntheticPhoto.Jpeg;
        loader = new ImageLoader(new ImageLimits());
    }

    [GlobalSetup(Target = nameof(ForwardBatch1))]
    public void SetupForward1() => SetupForward(1);

    [GlobalSetup(Target = nameof(ForwardBatch16))]
    public void SetupForward16() => SetupForward(LargeBatch);

    [GlobalSetup(Target = nameof(OnnxRuntimeBatch1))]
    public void SetupOnnxRuntime()
    {
        // Same thread count as libtorch (which honours OMP_NUM_THREADS), so the ratio compares engines, not thread counts.
        using var options = new SessionOptions { IntraOpNumThreads = get_num_threads() };
        session = new InferenceSession(Path.Combine(PretrainedBackbone.DefaultOnnxDirectory, "ResNet18Onnx", "ResNet18.onnx"), options);
        var (name, meta) = session.InputMetadata.Single();
        var shape = meta.Dimensions.Select(d => (long)d).ToArray();
        if (shape.Length != 4 || shape[0] != 1 || shape[2] != InputSize || shape[3] != InputSize)
        {
            throw new InvalidOperationException($"ResNet18.onnx input '{name}' is [{string.Join(",", shape)}], expected [1,3,{InputSize},{InputSize}]");
        }

        // ORT gets the same image, already in the backbone's convention (BGR 0..255 minus the mean image), as the
        // TorchSharp forward computes in its first step; the convention comes from the same import.
        var backbone = LoadBackbone();
        backbone.Module.Dispose();
        using var scope = NewDisposeScope();
        var rgb = tensor(PreprocessedImage.Value, [1, 3, InputSize, InputSize]);
        var prepared = backbone.Convention.Apply(rgb).data<float>().ToArray();
        ortInput = OrtValue.CreateTensorValueFromMemory(prepared, shape);
        ortInputNames = [name];
        ortOutputNames = [session.OutputMetadata.Keys.Single()];
        runOptions = new RunOptions();
    }

    [GlobalSetup(Target = nameof(ClassifyTorchBatch1))]
    public void SetupClassifyTorch() => SetupClassifier(InferenceEngine.Torch, withHost: false);

    [GlobalSetup(Targets = [nameof(ClassifyOnnxBatch1), nameof(ClassifyOnnxBatch16)])]
    public void SetupClassifyOnnx() => SetupClassifier(InferenceEngine.Onnx, withHost: false);

    [GlobalSetup(Targets = [nameof(HostLone), nameof(HostOneByOne), nameof(HostBurst)])]
    public void SetupHost() => SetupClassifier(InferenceEngine.Onnx, withHost: true);

    [Benchmark(Description = "full decode + preprocess (12 MP JPEG)")]
    public float[] DecodeAndPreprocess()
    {
        using var image = loader.Load(jpeg, "synthetic-12mp.jpg");
        return ImageTensorizer.ToChw(image, InputSize);
    }

    /// <summary>The same centre crop from a decode at the scale it needs (shorter side ≥ 224: 1/8, 500×375).</summary>
    [Benchmark(Description = "scaled decode + preprocess (12 MP, 1/8)")]
    public float[] DecodeScaledAndPreprocess()
    {
        using var loaded = loader.Load(jpeg, "synthetic-12mp.jpg", InputViews.Need(InputViews.Crop, InputSize));
        return ImageTensorizer.ToChw(loaded.Image, InputSize);
    }

    /// <summary>What the pipeline did per received photo before: full decode, the three multi views, the 512 px copy.</summary>
    [Benchmark(Description = "pipeline: full decode + 3 views + 512 copy")]
    public int PipelineFullDecode()
    {
        using var image = loader.Load(jpeg, "synthetic-12mp.jpg");
        return PipelineWork(image);
    }

    /// <summary>The pipeline now: one decode at what the multi views and the stored copy need (1/4, 1000×750).</summary>
    [Benchmark(Description = "pipeline: scaled decode + 3 views + 512 copy")]
    public int PipelineScaledDecode()
    {
        var need = InputViews.Need(InputViews.Multi, InputSize).And(ImageTensorizer.StoredCopyNeed(512));
        using var loaded = loader.Load(jpeg, "synthetic-12mp.jpg", need);
        return PipelineWork(loaded.Image);
    }

    private static int PipelineWork(SixLabors.ImageSharp.Image<Rgb24> image)
    {
        var views = InputViews.Make(image, InputViews.Multi, InputSize);
        return views.Length + ImageTensorizer.NormalizedCopy(image, 512).Jpeg.Length;
    }

    [Benchmark(Description = "forward b1 (TorchSharp)")]
    public void ForwardBatch1() => Forward();

    [Benchmark(Description = "forward b16 (TorchSharp)", OperationsPerInvoke = LargeBatch)]
    public void ForwardBatch16() => Forward();

    [Benchmark(Description = "ONNX Runtime b1 (backbone)")]
    public void OnnxRuntimeBatch1()
    {
        using var outputs = session!.Run(runOptions!, ortInputNames, [ortInput!], ortOutputNames);
    }

    [Benchmark(Description = "classify b1 (SkateClassifier, TorchSharp)")]
    public IReadOnlyList<ClassificationResult> ClassifyTorchBatch1() => classifier!.Classify(one);

    [Benchmark(Description = "classify b1 (SkateClassifier, ONNX Runtime)")]
    public IReadOnlyList<ClassificationResult> ClassifyOnnxBatch1() => classifier!.Classify(one);

    [Benchmark(Description = "classify b16 offline loop (ONNX Runtime)", OperationsPerInvoke = LargeBatch)]
    public IReadOnlyList<ClassificationResult> ClassifyOnnxBatch16() => classifier!.Classify(sixteen);

    [Benchmark(Description = "ModelHost: a lone request (ONNX Runtime)")]
    public Task<ClassificationResult> HostLone() => host!.ClassifyAsync(one[0]);

    [Benchmark(Description = "ModelHost: 32 requests one by one", OperationsPerInvoke = Burst)]
    public async Task HostOneByOne()
    {
        for (var i = 0; i < Burst; i++) await host!.ClassifyAsync(one[0]).ConfigureAwait(false);
    }

    [Benchmark(Description = "ModelHost: 32 concurrent requests", OperationsPerInvoke = Burst)]
    public Task HostBurst() => Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => host!.ClassifyAsync(one[0])));

    [GlobalCleanup]
    public void Cleanup()
    {
        host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        classifier?.Dispose();
        batch?.Dispose();
        model?.Dispose();
        ortInput?.Dispose();
        runOptions?.Dispose();
        session?.Dispose();
    }

    private void Forward()
    {
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        model!.forward(convention.Apply(batch!));
        BenchDevice.Synchronize();
    }

    private void SetupForward(int batchSize)
    {
        var imported = LoadBackbone();
        convention = imported.Convention;
        model = new SkateNet(imported.Module, classes: 2);
        model.to(BenchDevice.Device);
        model.eval();
        var image = PreprocessedImage.Value;
        var data = new float[batchSize * image.Length];
        for (var i = 0; i < batchSize; i++) Array.Copy(image, 0, data, i * image.Length, image.Length);
        var cpu = tensor(data, [batchSize, 3, InputSize, InputSize]);
        batch = BenchDevice.IsCuda ? cpu.to(BenchDevice.Device) : cpu;
        if (!ReferenceEquals(batch, cpu)) cpu.Dispose();
        Console.WriteLine($"// SkateBot.Bench: forward batch {batchSize} on {BenchDevice.Describe()}");
    }

    /// <summary>
    /// A SkateClassifier (or, with <paramref name="withHost"/>, a ModelHost serving one, with the default MaxBatchSize 16
    /// and MaxBatchDelay 15 ms) over a checkpoint of the imported body and a seeded 2-class head, on the CPU. Both engines
    /// get libtorch's thread count.
    /// </summary>
    private void SetupClassifier(InferenceEngine engine, bool withHost)
    {
        var path = BenchCheckpoint.Value;
        var loaded = SkateClassifier.Load(path, CPU, InferenceOptions.Default with { Engine = engine, Threads = get_num_threads() });
        one = [[PreprocessedImage.Value]];
        sixteen = Enumerable.Range(0, LargeBatch).Select(_ => new[] { PreprocessedImage.Value }).ToList();
        if (withHost)
        {
            host = new ModelHost(new ModelHostOptions(MaxBatchSize: LargeBatch, MaxBatchDelay: TimeSpan.FromMilliseconds(15), Threads: get_num_threads()));
            host.Publish(loaded);
        }
        else
        {
            classifier = loaded;
        }
        Console.WriteLine($"// SkateBot.Bench: {(withHost ? "ModelHost over " : "")}{loaded.Engine} ({loaded.EngineNote ?? "-"})");
    }

    /// <summary>The benchmark checkpoint and prepared image, for <see cref="BurstCheck"/>.</summary>
    public static (string Checkpoint, float[] Image) MemoryCheckInputs() => (BenchCheckpoint.Value, PreprocessedImage.Value);

    /// <summary>The benchmark checkpoint alone (written on first use), for <see cref="MemoryCheck"/>.</summary>
    public static string BenchCheckpointPath() => BenchCheckpoint.Value;

    private static readonly Lazy<string> BenchCheckpoint = new(() =>
    {
        var path = Path.Combine(ModelsDirectory, "bench-skatenet" + CheckpointFile.Extension);
        if (File.Exists(path)) return path;
        var imported = LoadBackbone();
        manual_seed(7);
        using var net = new SkateNet(imported.Module, classes: 2);
        CheckpointFile.Save(path, net, imported.Convention, new CheckpointInfo { Version = "bench", Classes = ["a", "b"], TrainingFingerprint = "bench" });
        return path;
    });

    private static readonly Lazy<float[]> PreprocessedImage = new(() =>
    {
        using var image = new ImageLoader().Load(SyntheticPhoto.Jpeg, "synthetic-12mp.jpg");
        return ImageTensorizer.ToChw(image, InputSize);
    });

    /// <summary>The imported backbone, cached under the temp folder so only the first run pays the ONNX import.</summary>
    private static ImportedBackbone LoadBackbone() => PretrainedBackbone.LoadOrImport(ModelsDirectory);

    public static string ModelsDirectory => Path.Combine(Path.GetTempPath(), "skatebot-bench", "models");
}
