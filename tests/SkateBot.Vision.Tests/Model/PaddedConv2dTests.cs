using SkateBot.Vision.Model;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Model;

/// <summary>Per-side ONNX padding must equal "pad explicitly, then convolve without padding", whichever path runs.</summary>
public sealed class PaddedConv2dTests
{
    [Theory]
    [InlineData(8, 3, 2, 1, 1, 0, 0)] // CNTK stride-2 pads on an even map: symmetric padding is exact
    [InlineData(7, 3, 2, 1, 1, 0, 0)] // odd map: symmetric would add a window, so it pads explicitly
    [InlineData(9, 3, 1, 0, 2, 2, 0)] // fully asymmetric
    [InlineData(224, 7, 2, 3, 3, 2, 2)] // the stem of the imported model
    public void Forward_AsymmetricPads_MatchExplicitPadReference(int size, int kernel, int stride, int top, int left, int bottom, int right)
    {
        var geometry = new ConvGeometry(kernel, stride, new Padding2d(top, left, bottom, right));
        using var conv = new PaddedConv2d(3, 4, geometry);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(2, 3, size, size, generator: new Generator(11));

        var actual = conv.forward(input);
        var weight = conv.parameters().Single();
        var expected = nn.functional.conv2d(
            nn.functional.pad(input, (left, right, top, bottom)), weight, strides: [stride, stride]);

        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal([geometry.OutputSize(size), geometry.OutputSize(size, vertical: false)], actual.shape[2..]);
        Assert.True(allclose(actual, expected, rtol: 1e-5, atol: 1e-5), "padded convolution differs from the reference");
    }
}
