using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Model;

/// <summary>
/// ResNet18-style feature extractor: [N,3,H,W] (in the <see cref="InputConvention"/> of its weights) to [N,512] after
/// global average pooling. Submodules follow torchvision's names (conv1, bn1, layer1..layer4) so state dicts read
/// the same way; block counts, pads and epsilons come from <see cref="ResNet18Geometry"/> (the imported CNTK model
/// has 3 blocks in layer4). No device is assumed: move it with to().
/// </summary>
internal sealed class ResNet18Backbone : nn.Module<Tensor, Tensor>
{
    public const int FeatureCount = 512;
    private static readonly long[] Widths = [64, 128, 256, 512];

    private readonly PaddedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    public ResNet18Backbone(ResNet18Geometry geometry) : base(nameof(ResNet18Backbone))
    {
        Geometry = geometry;
        conv1 = new PaddedConv2d(3, Widths[0], geometry.Conv("conv1"));
        bn1 = nn.BatchNorm2d(Widths[0], eps: geometry.Epsilon("bn1"));
        layer1 = Layer(1, geometry);
        layer2 = Layer(2, geometry);
        layer3 = Layer(3, geometry);
        layer4 = Layer(4, geometry);
        RegisterComponents();
    }

    public ResNet18Geometry Geometry { get; }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != 3)
        {
            throw new ArgumentException(
                $"ResNet18Backbone expects [N,3,H,W] input, got [{string.Join(",", input.shape)}]", nameof(input));
        }

        using var scope = NewDisposeScope();
        return ForwardLate(ForwardEarly(input)).MoveToOuterDisposeScope();
    }

    /// <summary>The first parameter group's layers (conv1, bn1, max pool, layer1, layer2): [N,128,H/8,W/8].</summary>
    public Tensor ForwardEarly(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.forward(conv1.forward(input)));
        x = MaxPool(x);
        return layer2.forward(layer1.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The second group's layers (layer3, layer4) and the global average pool, on <see cref="ForwardEarly"/>'s output.</summary>
    public Tensor ForwardLate(Tensor early)
    {
        using var scope = NewDisposeScope();
        var x = layer4.forward(layer3.forward(early));
        // The ONNX AveragePool is a 7x7 window over the 7x7 map of a 224 input: a global average.
        return nn.functional.adaptive_avg_pool2d(x, 1).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Parameters split the way fast.ai splits a ResNet body for discriminative learning rates:
    /// [conv1, bn1, layer1, layer2] then [layer3, layer4]. A classifier head is the caller's third group.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Parameter>> ParameterGroups() =>
    [
        [.. conv1.parameters(), .. bn1.parameters(), .. layer1.parameters(), .. layer2.parameters()],
        [.. layer3.parameters(), .. layer4.parameters()],
    ];

    private Tensor MaxPool(Tensor x)
    {
        var g = Geometry.MaxPool;
        // Max pooling pads with -inf (ONNX and torch agree), so padding never wins a window.
        var (padded, padding, _) = ExplicitPadding.Prepare(x, g, double.NegativeInfinity);
        return nn.functional.max_pool2d(padded, [g.Kernel, g.Kernel], [g.Stride, g.Stride], padding);
    }

    private static Sequential Layer(int index, ResNet18Geometry geometry)
    {
        long inChannels = index == 1 ? Widths[0] : Widths[index - 2];
        long outChannels = Widths[index - 1];
        var blocks = Enumerable.Range(0, geometry.BlocksPerLayer[index - 1])
            .Select(b => (b.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (nn.Module<Tensor, Tensor>)new BasicBlock($"layer{index}.{b}", b == 0 ? inChannels : outChannels, outChannels, geometry)))
            .ToArray();
        return nn.Sequential(blocks);
    }
}
