using SkateBot.Vision.Inference;
using SkateBot.Vision.Model;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

/// <summary>TorchSharp forward passes over photos given as several views each.</summary>
internal static class ViewLogits
{
    /// <summary>Raw logits of <paramref name="views"/> ([views × classes], row-major) from one forward pass.</summary>
    public static float[] Forward(Func<Tensor, Tensor> forward, InputConvention convention, Device device, IReadOnlyList<float[]> views)
    {
        using var scope = NewDisposeScope();
        return forward(convention.Apply(TensorBatches.Stack(views, convention.Size, device))).cpu().data<float>().ToArray();
    }

    /// <summary>One batch of all views, logits averaged per photo (what training's validation and calibration read).</summary>
    public static List<double[]> Mean(Func<Tensor, Tensor> forward, InputConvention convention, Device device,
        IReadOnlyList<float[][]> photos, int classes)
    {
        var flat = photos.SelectMany(v => v).ToList();
        if (flat.Count == 0) return [];
        return ViewCascade.Average(Forward(forward, convention, device, flat), photos.Select(p => p.Length).ToList(), classes);
    }
}
