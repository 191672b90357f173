using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Network;

/// <summary>
/// The head fast.ai's <c>create_head</c> puts on a pretrained body, sized for our 512 pooled features:
/// BatchNorm → Dropout → Linear → ReLU → BatchNorm → Dropout → Linear.
/// </summary>
internal sealed class ClassifierHead : nn.Module<Tensor, Tensor>
{
    public const int Hidden = 256;

    /// <summary>Both BatchNorm1d layers' epsilon (torch's default, stated so the ONNX export folds with the same value).</summary>
    public const double NormEpsilon = 1e-5;
    private readonly Sequential layers;

    public int OutputCount { get; }

    public ClassifierHead(int features, int classes) : base(nameof(ClassifierHead))
    {
        OutputCount = classes;
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), "A classifier needs at least two classes.");
        layers = nn.Sequential(
            ("bn1", nn.BatchNorm1d(features, eps: NormEpsilon)),
            ("drop1", nn.Dropout(0.25)),
            ("fc1", nn.Linear(features, Hidden)),
            ("relu", nn.ReLU()),
            ("bn2", nn.BatchNorm1d(Hidden, eps: NormEpsilon)),
            ("drop2", nn.Dropout(0.5)),
            ("fc2", nn.Linear(Hidden, classes)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) => layers.forward(features);

    /// <summary>
    /// Starts this head from <paramref name="trained"/>, a head trained on <paramref name="trainedClasses"/>: every layer
    /// before the last as it is, the output row of each class both lists share, and for a class the trained head did not
    /// know zero weights with a bias <see cref="NewClassBiasMargin"/> below the lowest known one. The new head then
    /// answers as the trained one did (a new class starts almost never chosen) until training teaches it the new class,
    /// instead of a fresh head forgetting everything at once (a retrain that first met `other` answered most skates unsure).
    /// </summary>
    public void CarryOver(ClassifierHead trained, IReadOnlyList<string> trainedClasses, IReadOnlyList<string> classes)
    {
        if (classes.Count != OutputCount) throw new ArgumentException($"This head has {OutputCount} outputs, not {classes.Count}.", nameof(classes));
        if (trainedClasses.Count != trained.OutputCount)
            throw new ArgumentException($"The trained head has {trained.OutputCount} outputs, not {trainedClasses.Count}.", nameof(trainedClasses));
        using var noGrad = torch.no_grad();
        var source = trained.state_dict();
        var target = state_dict();
        foreach (var (name, tensor) in target)
        {
            if (name is "layers.fc2.weight" or "layers.fc2.bias") continue;
            tensor.copy_(source[name]);
        }
        var oldWeight = source["layers.fc2.weight"];
        var oldBias = source["layers.fc2.bias"];
        var weight = target["layers.fc2.weight"];
        var bias = target["layers.fc2.bias"];
        var lowest = oldBias.min().item<float>();
        for (var c = 0; c < classes.Count; c++)
        {
            var known = IndexOf(trainedClasses, classes[c]);
            if (known >= 0)
            {
                weight[c].copy_(oldWeight[known]);
                bias[c].copy_(oldBias[known]);
            }
            else
            {
                weight[c].zero_();
                bias[c].fill_(lowest - NewClassBiasMargin);
            }
        }
    }

    /// <summary>How far below the lowest known class's bias a new class's bias starts (e^-4: about 2% of its odds).</summary>
    public const float NewClassBiasMargin = 4f;

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (string.Equals(list[i], value, StringComparison.Ordinal)) return i;
        return -1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
