using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Calibration;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using SkateBot.Vision.Training;
using static TorchSharp.torch;

namespace SkateBot.Vision.Inference;

/// <summary>A loaded model version ready to classify preprocessed images. Not thread-safe: the <see cref="ModelHost"/> serialises use.</summary>
public sealed class SkateClassifier : IDisposable
{
    private readonly SkateNet model;

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

    private SkateClassifier(SkateNet model, InputConvention convention, CheckpointInfo info, Device device)
    {
        this.model = model;
        Convention = convention;
        Info = info;
        Device = device;
    }

    public static SkateClassifier Load(string checkpointPath, Devices.ComputeDevice device) => Load(checkpointPath, device.Torch);

    public static SkateClassifier Load(string checkpointPath, Device device)
    {
        var (model, convention, info) = CheckpointFile.Load(checkpointPath, device);
        return new SkateClassifier(model, convention, info, device);
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
        using var _ = no_grad();
        return ViewLogits.Mean(x => model.forward(x), Convention, Device, inputs, Classes.Count);
    }

    public void Dispose() => model.Dispose();
}
