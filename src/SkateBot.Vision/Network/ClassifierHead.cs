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

    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
