using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

internal static class TensorBatches
{
    /// <summary>Stacks planar RGB 0..1 images (3·size·size floats each) into an [N,3,size,size] tensor on <paramref name="device"/>.</summary>
    public static Tensor Stack(IReadOnlyList<float[]> images, int size, Device device)
    {
        var plane = 3 * size * size;
        var data = new float[images.Count * plane];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Length != plane) throw new ArgumentException($"Image {i} has {images[i].Length} values, expected {plane}.");
            Array.Copy(images[i], 0, data, i * plane, plane);
        }
        using var cpu = tensor(data, [images.Count, 3, size, size]);
        return cpu.to(device);
    }

    public static Tensor Labels(IEnumerable<int> labels, Device device)
    {
        using var cpu = tensor(labels.Select(l => (long)l).ToArray());
        return cpu.to(device);
    }

    /// <summary>Per-example loss weights: the example's own weight times its class's balancing weight.</summary>
    public static Tensor Weights(IEnumerable<double> weights, Device device)
    {
        using var cpu = tensor(weights.Select(w => (float)w).ToArray());
        return cpu.to(device);
    }

    /// <summary>Inverse-frequency class weights (weighted by example weights), mean 1, so imbalance does not bias the head.</summary>
    public static double[] ClassWeights(IEnumerable<(int ClassIndex, double Weight)> examples, int classes)
    {
        var totals = new double[classes];
        foreach (var (c, w) in examples) totals[c] += w;
        var present = totals.Count(t => t > 0);
        var sum = totals.Sum();
        return totals.Select(t => t > 0 ? sum / (present * t) : 0).ToArray();
    }
}
