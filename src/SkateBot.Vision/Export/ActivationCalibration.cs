using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;

namespace SkateBot.Vision.Export;

/// <summary>
/// The range of every activation <see cref="SkateNetQdqExporter"/> quantizes, measured by running the float graph (the
/// body's BatchNorms folded, the same arithmetic) on ONNX Runtime over some input views: [min, max] by tensor name.
/// </summary>
internal static class ActivationCalibration
{
    public static Dictionary<string, float[]> Measure(SkateNet model, InputConvention convention, IEnumerable<float[]> views, int threads)
    {
        var (graph, activations) = SkateNetQdqExporter.Calibration(model, convention);
        var ranges = activations.ToDictionary(a => a, _ => new[] { float.MaxValue, float.MinValue }, StringComparer.Ordinal);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, threads), InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, EnableCpuMemArena = false,
        };
        using var session = new InferenceSession(graph, options);
        var size = convention.Size;
        var seen = 0;
        foreach (var view in views)
        {
            using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(SkateNetOnnxExporter.InputName, new DenseTensor<float>(view, [1, 3, size, size]))]);
            foreach (var output in outputs)
            {
                if (!ranges.TryGetValue(output.Name, out var range)) continue;
                foreach (var v in output.AsEnumerable<float>())
                {
                    if (v < range[0]) range[0] = v;
                    if (v > range[1]) range[1] = v;
                }
            }
            seen++;
        }
        if (seen == 0) throw new ArgumentException("no views to calibrate on", nameof(views));
        return ranges;
    }
}
