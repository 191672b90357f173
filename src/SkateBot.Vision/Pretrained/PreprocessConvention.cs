using SkateBot.Vision.Model;

namespace SkateBot.Vision.Pretrained;

/// <summary>
/// Reads ResNetPreprocess.onnx (Split RGB on axis 1, Concat the parts, Sub a MeanImage initializer) into an
/// <see cref="InputConvention"/>. The model takes raw pixel values, 0..255, as ML.NET's image loader produces them;
/// that range is not in the graph, hence the fixed scale.
/// </summary>
internal static class PreprocessConvention
{
    public const float PixelScale = 255f;

    public static InputConvention Read(OnnxModel model, long expectedSize)
    {
        if (model.Nodes is not [{ OpType: "Split" } split, { OpType: "Concat" } concat, { OpType: "Sub" } sub])
        {
            throw new OnnxFormatException(
                $"expected Split, Concat, Sub; found {string.Join(", ", model.Nodes.Select(n => n.OpType))}");
        }

        if (split.Outputs.Count != 3 || split.Attribute("axis")?.I != 1 || concat.Attribute("axis")?.I != 1
            || concat.Inputs.Count != 3 || concat.Inputs.Except(split.Outputs).Any())
        {
            throw new OnnxFormatException("Split/Concat must split and rejoin the three channels on axis 1");
        }

        bool bgr = concat.Inputs.SequenceEqual(split.Outputs.Reverse());
        if (!bgr && !concat.Inputs.SequenceEqual(split.Outputs))
        {
            throw new OnnxFormatException($"channel order [{string.Join(",", concat.Inputs)}] is neither RGB nor BGR");
        }

        string meanName = sub.Inputs.Count == 2 && sub.Inputs[0] == concat.Outputs[0] ? sub.Inputs[1] : "";
        if (!model.Initializers.TryGetValue(meanName, out var mean) || !mean.Dims.SequenceEqual([1L, 3, expectedSize, expectedSize]))
        {
            throw new OnnxFormatException(
                $"Sub must subtract a [1,3,{expectedSize},{expectedSize}] mean image initializer from the reordered channels");
        }

        string order = bgr ? "bgr" : "rgb";
        return new InputConvention($"{order}-0-255-minus-meanimage", bgr, PixelScale, (int)expectedSize, mean.Data);
    }
}
