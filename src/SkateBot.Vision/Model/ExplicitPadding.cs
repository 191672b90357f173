using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Model;

/// <summary>
/// Applies ONNX-style per-side padding. Torch's conv/pool only pad symmetrically, so when begin != end we check
/// whether symmetric padding by `begin` visits exactly the same windows (same window starts, same count); if it
/// does, the result is identical and no copy is needed. Otherwise the input is padded explicitly.
/// </summary>
internal static class ExplicitPadding
{
    public static (Tensor Input, long[] Padding, bool Owned) Prepare(Tensor x, ConvGeometry g, double fill)
    {
        var p = g.Pads;
        if (SymmetricIsExact(x.shape[^2], p.Top, p.Bottom, g) && SymmetricIsExact(x.shape[^1], p.Left, p.Right, g))
        {
            return (x, [p.Top, p.Left], false);
        }

        var padded = nn.functional.pad(x, (p.Left, p.Right, p.Top, p.Bottom), PaddingModes.Constant, fill);
        return (padded, [0, 0], true);
    }

    private static bool SymmetricIsExact(long size, int begin, int end, ConvGeometry g)
    {
        if (begin == end)
        {
            return true;
        }

        // torch rejects pooling pads above half the window; explicit padding covers that case.
        if (begin > g.Kernel / 2 || size + 2 * begin < g.Kernel || size + begin + end < g.Kernel)
        {
            return false;
        }

        return (size + begin + end - g.Kernel) / g.Stride == (size + 2 * begin - g.Kernel) / g.Stride;
    }
}
