using SkateBot.Vision.Model;

namespace SkateBot.Vision.Pretrained;

/// <summary>
/// Turns a Conv/MaxPool node's attributes into a <see cref="ConvGeometry"/>, following the ONNX operator spec
/// (https://onnx.ai/onnx/operators/onnx__Conv.html): pads are [begin H, begin W, end H, end W]; auto_pad SAME_*
/// derives them from the input size (SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the beginning).
/// </summary>
internal static class OnnxWindow
{
    public static ConvGeometry Read(OnnxNode node, long inputSize, int? kernelFromWeight = null)
    {
        string where = $"{node.OpType} node '{node.Name}'";
        var kernel = node.Attribute("kernel_shape")?.Ints ?? (kernelFromWeight is { } k ? [k, k] : []);
        var strides = node.Attribute("strides")?.Ints is { Count: > 0 } s ? s : [1L, 1L];
        if (kernel.Count != 2 || kernel[0] != kernel[1] || strides.Count != 2 || strides[0] != strides[1])
        {
            throw new OnnxFormatException(
                $"{where}: only square 2-D windows are supported (kernel [{string.Join(",", kernel)}], strides [{string.Join(",", strides)}])");
        }

        if (node.Attribute("dilations")?.Ints is { } dilations && dilations.Any(d => d != 1))
        {
            throw new OnnxFormatException($"{where}: dilation [{string.Join(",", dilations)}] is not supported");
        }

        if (node.Attribute("group")?.I is { } group && group != 1)
        {
            throw new OnnxFormatException($"{where}: grouped convolution (group={group}) is not supported");
        }

        if (node.Attribute("ceil_mode")?.I is { } ceil && ceil != 0)
        {
            throw new OnnxFormatException($"{where}: ceil_mode=1 is not supported");
        }

        int kernelSize = (int)kernel[0];
        int stride = (int)strides[0];
        return new ConvGeometry(kernelSize, stride, Pads(node, where, inputSize, kernelSize, stride));
    }

    private static Padding2d Pads(OnnxNode node, string where, long inputSize, int kernel, int stride)
    {
        string autoPad = node.Attribute("auto_pad")?.S ?? "NOTSET";
        switch (autoPad)
        {
            case "NOTSET" or "":
                var pads = node.Attribute("pads")?.Ints ?? [0L, 0L, 0L, 0L];
                if (pads.Count != 4 || pads.Any(p => p is < 0 or > 15))
                {
                    throw new OnnxFormatException($"{where}: pads [{string.Join(",", pads)}] are not 4 small non-negative values");
                }

                return new Padding2d((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
            case "VALID":
                return Padding2d.Symmetric(0);
            case "SAME_UPPER" or "SAME_LOWER":
                long output = (inputSize + stride - 1) / stride;
                int total = (int)Math.Max(0, (output - 1) * stride + kernel - inputSize);
                int small = total / 2;
                int large = total - small;
                return autoPad == "SAME_UPPER"
                    ? new Padding2d(small, small, large, large)
                    : new Padding2d(large, large, small, small);
            default:
                throw new OnnxFormatException($"{where}: unknown auto_pad '{autoPad}'");
        }
    }
}
