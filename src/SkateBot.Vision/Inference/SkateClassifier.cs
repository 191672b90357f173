using System.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Calibration;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Export;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Training;
using static TorchSharp.torch;

namespace SkateBot.Vision.Inference;

/// <summary>
/// A loaded model version ready to classify preprocessed images. Not thread-safe: the <see cref="ModelHost"/> serialises use.
/// The forward pass runs on ONNX Runtime (the checkpoint exported to an ONNX graph, cached next to it) or on TorchSharp,
/// as <see cref="InferenceOptions.Engine"/> says; view averaging, temperature and <see cref="Answering"/> are the same
/// code for both.
/// </summary>
public sealed class SkateClassifier : IDisposable
{
    private readonly SkateNet? model;
    private readonly OnnxForward? onnx;

    public CheckpointInfo Info { get; }
    internal InputConvention Convention { get; }
    internal Device Device { get; }
    public string Version => Info.Version;
    public IReadOnlyList<string> Classes => Info.Classes;
    public int InputSize => Convention.Size;
    /// <summary>How photos become input (<see cref="InputViews"/>), as the model was trained and calibrated.</summary>
    public string Preprocessing => InputViews.Normalize(Info.Preprocessing);
    public double Temperature => Info.EffectiveTemperature;
    public double UnsureBelow => Info.EffectiveUnsureBelow;

    /// <summary>What runs the forward pass: "onnxruntime cpu (2 threads)", "onnxruntime cuda:0" or "torchsharp cpu".</summary>
    public string Engine { get; }

    /// <summary>Why <see cref="InferenceEngine.Auto"/> fell back to TorchSharp, or where the graph came from; null when nothing to say.</summary>
    public string? EngineNote { get; }

    private SkateClassifier(SkateNet? model, OnnxForward? onnx, InputConvention convention, CheckpointInfo info, Device device, string? note)
    {
        this.model = model;
        this.onnx = onnx;
        Convention = convention;
        Info = info;
        Device = device;
        Engine = onnx?.Provider ?? $"torchsharp {device.type.ToString().ToLowerInvariant()}";
        EngineNote = note;
    }

    /// <summary>Loads a checkpoint with <see cref="InferenceOptions.Default"/> (the <c>Model:Engine</c> setting).</summary>
    public static SkateClassifier Load(string checkpointPath, Devices.ComputeDevice device) => Load(checkpointPath, device.Torch, InferenceOptions.Default);

    /// <summary>Loads a checkpoint with <see cref="InferenceOptions.Default"/> (the <c>Model:Engine</c> setting).</summary>
    internal static SkateClassifier Load(string checkpointPath, Device device) => Load(checkpointPath, device, InferenceOptions.Default);

    public static SkateClassifier Load(string checkpointPath, Devices.ComputeDevice device, InferenceOptions options) => Load(checkpointPath, device.Torch, options);

    internal static SkateClassifier Load(string checkpointPath, Device device, InferenceOptions options)
    {
        // ONNX Runtime (arena off) mallocs and frees each run's activation buffers; with glibc's sliding mmap threshold they
        // soon come from heaps that stay resident. Fixed, they are mapped per run: the serving process held 481 MB
        // instead of 670 MB after 10,000 classifications, peak 550 MB instead of 739 MB (bench `memory 10000 16`).
        NativeHeap.UseMappedLargeBlocks();
        if (options.Engine == InferenceEngine.Torch)
        {
            var (torchModel, torchConvention, torchInfo, _) = CheckpointFile.LoadWithHash(checkpointPath, device);
            return new SkateClassifier(torchModel, null, torchConvention, Override(torchInfo), device, null);
        }

        int? cuda = device.type == TorchSharp.DeviceType.CUDA ? Math.Max(0, (int)device.index) : null;
        var (header, convention, hash) = CheckpointFile.ReadHeader(checkpointPath);
        var info = Override(header);
        // int8 (Model:Precision) needs the checkpoint's calibration ranges and ONNX Runtime's CPU kernels; otherwise float, said.
        var int8 = options.Precision == InferencePrecision.Int8 && cuda is null && options.Provider != OrtProvider.Cuda
                   && info.ActivationRanges is { Count: > 0 };
        var precisionNote = int8 ? "int8, "
            : options.Precision != InferencePrecision.Int8 ? ""
            : info.ActivationRanges is not { Count: > 0 } ? "float: this checkpoint has no int8 calibration (trained before it), "
            : "float: int8 is served on the CPU only, ";
        var format = int8 ? SkateNetQdqExporter.FormatTag : SkateNetOnnxExporter.FormatTag;
        if (options.CacheExport && OnnxExportCache.TryRead(checkpointPath, hash, format) is { } cached)
        {
            // Served straight from the cached graph: the TorchSharp network is never built, so its weights never occupy memory.
            try
            {
                return Served(OnnxForward.Create(cached, convention.Size, info.Classes.Count, options, cuda), precisionNote + "graph from the export cache");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An unreadable cached graph is exported again below; a session that cannot start fails again there.
            }
        }

        var (model, _, _, _) = CheckpointFile.LoadWithHash(checkpointPath, device);
        try
        {
            var graph = int8
                ? SkateNetQdqExporter.Quantized(model, convention, info.ActivationRanges!)
                : SkateNetOnnxExporter.Export(model, convention, new Dictionary<string, string>
                {
                    ["skatebot.version"] = info.Version,
                    ["skatebot.checkpoint_sha256"] = hash,
                    ["skatebot.classes"] = string.Join(",", info.Classes),
                });
            if (options.CacheExport) OnnxExportCache.Write(checkpointPath, hash, graph, format);
            var onnx = OnnxForward.Create(graph, convention.Size, info.Classes.Count, options, cuda);
            model.Dispose(); // ONNX Runtime holds its own copy of the weights; TorchSharp's would only cost memory.
            return Served(onnx, precisionNote + "graph exported at load");
        }
        catch (Exception ex) when (options.Engine == InferenceEngine.Auto && ex is not OutOfMemoryException)
        {
            return new SkateClassifier(model, null, convention, info, device, $"ONNX Runtime unavailable ({ex.GetType().Name}: {ex.Message}); serving with TorchSharp");
        }
        catch
        {
            model.Dispose();
            throw;
        }

        CheckpointInfo Override(CheckpointInfo read) => options.FirstViewAbove is { } f ? read with { FirstViewAbove = f } : read;

        SkateClassifier Served(OnnxForward onnx, string note)
        {
            // A load leaves a few copies of the weights behind (file bytes, blocks, the serialised graph): 100-200 MB of
            // large-object garbage that a serving process would otherwise carry in its resident set until some later GC.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            return new SkateClassifier(null, onnx, convention, info, device, note);
        }
    }

    /// <summary>The model input of one photo: its views under this model's preprocessing.</summary>
    public float[][] Preprocess(Image<Rgb24> image) => InputViews.Make(image, Preprocessing, InputSize);

    /// <summary>Classifies single-view inputs (planar RGB 0..1 of <see cref="InputSize"/>² pixels).</summary>
    public IReadOnlyList<ClassificationResult> Classify(IReadOnlyList<float[]> inputs) =>
        Classify(inputs.Select(i => new[] { i }).ToList());

    /// <summary>At or above this calibrated probability the first view decides a several-view photo (<see cref="ViewCascade"/>).</summary>
    public double FirstViewAbove => Info.EffectiveFirstViewAbove;

    /// <summary>
    /// Classifies photos given as views (see <see cref="Preprocess"/>): the first views of all photos in one forward pass,
    /// then the other views of the photos the first left unsure in one more (<see cref="ViewCascade"/>); a photo's logits
    /// are its first view's or the mean over its views, divided by the fitted temperature.
    /// </summary>
    public IReadOnlyList<ClassificationResult> Classify(IReadOnlyList<float[][]> inputs)
    {
        if (inputs.Count == 0) return [];
        var cascade = CascadeLogits(inputs);
        var results = new List<ClassificationResult>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var probs = Calibration.Temperature.Softmax(cascade.Logits[i], Temperature);
            var p = new Dictionary<string, double>();
            for (var c = 0; c < Classes.Count; c++) p[Classes[c]] = probs[c];
            var (label, best, confidence, reason) = Answering.Decide(Classes, probs, UnsureBelow);
            results.Add(new ClassificationResult(label, confidence, p, Version) { BestClass = best, UnsureReason = reason, ViewsUsed = cascade.ViewsUsed[i] });
        }
        return results;
    }

    /// <summary>Raw (uncalibrated) logits per photo under the <see cref="ViewCascade"/> rule.</summary>
    public IReadOnlyList<double[]> Logits(IReadOnlyList<float[][]> inputs) => CascadeLogits(inputs).Logits;

    internal CascadeLogits CascadeLogits(IReadOnlyList<float[][]> inputs)
    {
        if (onnx is not null) return ViewCascade.Logits(inputs, Classes.Count, Temperature, FirstViewAbove, onnx.Forward);
        using var _ = no_grad();
        return ViewCascade.Logits(inputs, Classes.Count, Temperature, FirstViewAbove,
            views => ViewLogits.Forward(x => model!.forward(x), Convention, Device, views));
    }

    public void Dispose()
    {
        model?.Dispose();
        onnx?.Dispose();
    }
}
