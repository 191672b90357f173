using SkateBot.Vision.Model;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

/// <summary>Forward passes over photos given as several views each: one batch of all views, logits averaged per photo.</summary>
internal static class ViewLogits
{
    public static List<double[]> Mean(Func<Tensor, Tensor> forward, InputConvention convention, Device device,
        IReadOnlyList<float[][]> photos, int classes)
    {
        using var scope = NewDisposeScope();
        var flat = photos.SelectMany(v => v).ToList();
        if (flat.Count == 0) return [];
        var raw = forward(convention.Apply(TensorBatches.Stack(flat, convention.Size, device))).cpu().data<float>().ToArray();
        return Average(raw, photos.Select(p => p.Length).ToList(), classes);
    }

    /// <summary>Mean over consecutive rows of <paramref name="raw"/> ([Σviews, classes], row-major), one group per photo.</summary>
    public static List<double[]> Average(float[] raw, IReadOnlyList<int> viewsPerPhoto, int classes)
    {
        var output = new List<double[]>(viewsPerPhoto.Count);
        var row = 0;
        foreach (var views in viewsPerPhoto)
        {
            var mean = new double[classes];
            for (var v = 0; v < views; v++, row++)
                for (var c = 0; c < classes; c++) mean[c] += raw[row * classes + c] / views;
            output.Add(mean);
        }
        return output;
    }
}
