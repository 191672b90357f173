using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Calibration;
using SkateBot.Vision.Checkpoints;
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
    public InputConvention Convention { get; }
    public Device Device { get; }
    public string Version => Info.Version;
    public IReadOnlyList<string> Classes => Info.Classes;
    public int InputSize => Convention.Size;
    /// <summary>How photos become input (<see cref="InputViews"/>), as the model was trained and calibrated.</summary>
    public string Preprocessing => InputViews.Normalize(Info.Preprocessing);
    public double Temperature => Info.Temperature is > 0 and var t ? t : 1;
    public double UnsureBelow => Info.UnsureBelow ?? Answering.DefaultUnsureBelow;

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
    public static SkateClassifier Load(string checkpointPath, Device device) => Load(checkpointPath, device, InferenceOptions.Default);

    public static SkateClassifier Load(string checkpointPath, Device device, InferenceOptions options)
    {
        var (model, convention, info, hash) = CheckpointFile.LoadWithHash(checkpointPath, device);
        if (options.Engine == InferenceEngine.Torch) return new SkateClassifier(model, null, convention, info, device, null);
        try
        {
            var graph = OnnxExportCache.GetOrExport(checkpointPath, hash,
                () => SkateNetOnnxExporter.Export(model, convention, new Dictionary<string, string>
                {
                    ["skatebot.version"] = info.Version,
                    ["skatebot.checkpoint_sha256"] = hash,
                    ["skatebot.classes"] = string.Join(",", info.Classes),
                }),
                options.CacheExport, out var fromCache);
            var onnx = OnnxForward.Create(graph, convention.Size, info.Classes.Count, options,
                device.type == TorchSharp.DeviceType.CUDA ? device.index < 0 ? 0 : device.index : null);
            model.Dispose(); // ONNX Runtime holds its own copy of the weights; TorchSharp's would only cost memory.
            return new SkateClassifier(null, onnx, convention, info, device, fromCache ? "graph from the export cache" : "graph exported at load");
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
    }

    /// <summary>The model input of one photo: its views under this model's preprocessing.</summary>
    public float[][] Preprocess(Image<Rgb24> image) => InputViews.Make(image, Preprocessing, InputSize);

    /// <summary>Classifies single-view inputs (planar RGB 0..1 of <see cref="InputSize"/>² pixels).</summary>
    public IReadOnlyList<ClassificationResult> Classify(IReadOnlyList<float[]> inputs) =>
        Classify(inputs.Select(i => new[] { i }).ToList());

    /// <summary>
    /// Classifies photos given as views (see <see cref="Preprocess"/>), all views of all photos in one forward pass; a photo's
    /// logits are the mean over its views, divided by the fitted temperature.
    /// </summary>
    public IReadOnlyList<ClassificationResult> Classify(IReadOnlyList<float[][]> inputs)
    {
        if (inputs.Count == 0) return [];
        var logits = Logits(inputs);
        var results = new List<ClassificationResult>(inputs.Count);
        foreach (var l in logits)
        {
            var probs = Calibration.Temperature.Softmax(l, Temperature);
            var p = new Dictionary<string, double>();
            for (var c = 0; c < Classes.Count; c++) p[Classes[c]] = probs[c];
            var (label, best, confidence, reason) = Answering.Decide(Classes, probs, UnsureBelow);
            results.Add(new ClassificationResult(label, confidence, p, Version) { BestClass = best, UnsureReason = reason });
        }
        return results;
    }

    /// <summary>Raw (uncalibrated) logits per photo, averaged over its views.</summary>
    public IReadOnlyList<double[]> Logits(IReadOnlyList<float[][]> inputs)
    {
        if (onnx is not null)
        {
            var flat = inputs.SelectMany(v => v).ToList();
            if (flat.Count == 0) return [];
            var raw = onnx.Forward(flat);
            return ViewLogits.Average(raw, inputs.Select(p => p.Length).ToList(), Classes.Count);
        }
        using var _ = no_grad();
        return ViewLogits.Mean(x => model!.forward(x), Convention, Device, inputs, Classes.Count);
    }

    public void Dispose()
    {
        model?.Dispose();
        onnx?.Dispose();
    }
}
