using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Model;

/// <summary>A bias-free convolution with ONNX-style per-side padding; its only state is `weight`, as in torchvision.</summary>
internal sealed class PaddedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly ConvGeometry geometry;

    public PaddedConv2d(long inChannels, long outChannels, ConvGeometry geometry) : base(nameof(PaddedConv2d))
    {
        this.geometry = geometry;
        weight = new Parameter(empty(outChannels, inChannels, geometry.Kernel, geometry.Kernel));
        // torchvision's ResNet initialisation, so a backbone trained from scratch starts sensibly.
        nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var (x, padding, owned) = ExplicitPadding.Prepare(input, geometry, 0.0);
        try
        {
            return nn.functional.conv2d(x, weight, strides: [geometry.Stride, geometry.Stride], padding: padding);
        }
        finally
        {
            if (owned)
            {
                x.Dispose();
            }
        }
    }
}
