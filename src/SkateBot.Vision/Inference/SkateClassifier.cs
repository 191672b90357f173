using SkateBot.Vision.Checkpoints;
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

    private SkateClassifier(SkateNet model, InputConvention convention, CheckpointInfo info, Device device)
    {
        this.model = model;
        Convention = convention;
        Info = info;
        Device = device;
    }

    public static SkateClassifier Load(string checkpointPath, Device device)
    {
        var (model, convention, info) = CheckpointFile.Load(checkpointPath, device);
        return new SkateClassifier(model, convention, info, device);
    }

    /// <summary>Classifies planar RGB 0..1 inputs of <see cref="InputSize"/>² pixels, in one forward pass.</summary>
    public IReadOnlyList<ClassificationResult> Classify(IReadOnlyList<float[]> inputs)
    {
        if (inputs.Count == 0) return [];
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = model.forward(Convention.Apply(TensorBatches.Stack(inputs, InputSize, Device)));
        var probs = nn.functional.softmax(logits, 1).cpu().data<float>().ToArray();
        var results = new List<ClassificationResult>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = new Dictionary<string, double>();
            for (var c = 0; c < Classes.Count; c++) p[Classes[c]] = probs[i * Classes.Count + c];
            var best = p.MaxBy(kv => kv.Value);
            results.Add(new ClassificationResult(best.Key, best.Value, p, Version));
        }
        return results;
    }

    public void Dispose() => model.Dispose();
}
