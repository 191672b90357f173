using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Model;

/// <summary>ResNet BasicBlock: two 3x3 convs with BN, plus a 1x1 conv + BN shortcut when the shape changes.</summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly PaddedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly PaddedConv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(string path, long inChannels, long outChannels, ResNet18Geometry geometry) : base(nameof(BasicBlock))
    {
        conv1 = new PaddedConv2d(inChannels, outChannels, geometry.Conv($"{path}.conv1"));
        bn1 = nn.BatchNorm2d(outChannels, eps: geometry.Epsilon($"{path}.bn1"));
        conv2 = new PaddedConv2d(outChannels, outChannels, geometry.Conv($"{path}.conv2"));
        bn2 = nn.BatchNorm2d(outChannels, eps: geometry.Epsilon($"{path}.bn2"));
        if (ResNet18Geometry.HasDownsample(path))
        {
            downsample = nn.Sequential(
                ("0", new PaddedConv2d(inChannels, outChannels, geometry.Conv($"{path}.downsample.0"))),
                ("1", nn.BatchNorm2d(outChannels, eps: geometry.Epsilon($"{path}.downsample.1"))));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var shortcut = downsample is null ? input : downsample.forward(input);
        var y = nn.functional.relu(bn1.forward(conv1.forward(input)));
        y = bn2.forward(conv2.forward(y));
        return nn.functional.relu(y.add_(shortcut)).MoveToOuterDisposeScope();
    }
}
