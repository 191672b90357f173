using SkateBot.Vision.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Network;

/// <summary>The whole classifier: the ImageNet ResNet18 body plus our head. Input is the body's convention.</summary>
internal sealed class SkateNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Recorded in checkpoints; a checkpoint of another architecture is refused.</summary>
    public const string Architecture = "resnet18-imagenet+head256/v1";

    public ResNet18Backbone Body { get; }
    public ClassifierHead Head { get; }

    public SkateNet(ResNet18Backbone body, int classes) : base(nameof(SkateNet))
    {
        Body = body;
        Head = new ClassifierHead(ResNet18Backbone.FeatureCount, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => Head.forward(Body.forward(input));

    /// <summary>Parameter groups for discriminative learning rates: two body groups (early, late) then the head.</summary>
    public IReadOnlyList<IReadOnlyList<Parameter>> LayerGroups()
    {
        var groups = Body.ParameterGroups().ToList();
        groups.Add(Head.parameters().ToList());
        return groups;
    }

    /// <summary>
    /// Puts the whole network in training mode except the body's batch-norm layers, which keep the ImageNet running
    /// statistics (their scale and shift still learn). With our small CPU batches, batch statistics would shift the body's
    /// features away from the ones the head was trained on in the frozen phase (cached in eval mode).
    /// </summary>
    public void TrainWithFrozenBodyStatistics()
    {
        train();
        foreach (var module in Body.modules())
            if (module is TorchSharp.Modules.BatchNorm2d norm) norm.eval();
    }

    /// <summary>Freezes the body (head-only training).</summary>
    public void FreezeBody()
    {
        foreach (var p in Body.parameters()) p.requires_grad = false;
    }

    /// <summary>
    /// Unfreezes the body, the early group (conv1 to layer2, <see cref="ResNet18Backbone.ForwardEarly"/>) only when
    /// <paramref name="early"/>; returns the groups that now train, each with its index in <see cref="LayerGroups"/>.
    /// </summary>
    public IReadOnlyList<(int Index, IReadOnlyList<Parameter> Parameters)> UnfreezeBody(bool early)
    {
        foreach (var p in Body.parameters()) p.requires_grad = true;
        var groups = LayerGroups().Select((g, i) => (Index: i, Parameters: g)).ToList();
        if (early) return groups;
        foreach (var p in groups[0].Parameters) p.requires_grad = false;
        return groups.Skip(1).ToList();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { Body.Dispose(); Head.Dispose(); }
        base.Dispose(disposing);
    }
}
