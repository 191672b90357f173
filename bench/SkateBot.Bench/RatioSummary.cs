using BenchmarkDotNet.Reports;

namespace SkateBot.Bench;

/// <summary>
/// The one-line reading of the table: the ratios the issue asks for, per image, from one run. Medians, not means:
/// on a shared 2-core box a few iterations stall behind other processes, and the median ignores them.
/// </summary>
public static class RatioSummary
{
    public static string Describe(Summary summary)
    {
        var decode = MedianNs(summary, nameof(VisionBenchmarks.DecodeAndPreprocess));
        var scaled = MedianNs(summary, nameof(VisionBenchmarks.DecodeScaledAndPreprocess));
        var pipelineFull = MedianNs(summary, nameof(VisionBenchmarks.PipelineFullDecode));
        var pipelineScaled = MedianNs(summary, nameof(VisionBenchmarks.PipelineScaledDecode));
        var b1 = MedianNs(summary, nameof(VisionBenchmarks.ForwardBatch1));
        var b16 = MedianNs(summary, nameof(VisionBenchmarks.ForwardBatch16));
        var ort = MedianNs(summary, nameof(VisionBenchmarks.OnnxRuntimeBatch1));

        var torchB1 = MedianNs(summary, nameof(VisionBenchmarks.ClassifyTorchBatch1));
        var onnxB1 = MedianNs(summary, nameof(VisionBenchmarks.ClassifyOnnxBatch1));
        var onnxB16 = MedianNs(summary, nameof(VisionBenchmarks.ClassifyOnnxBatch16));
        var lone = MedianNs(summary, nameof(VisionBenchmarks.HostLone));
        var oneByOne = MedianNs(summary, nameof(VisionBenchmarks.HostOneByOne));
        var burst = MedianNs(summary, nameof(VisionBenchmarks.HostBurst));

        var parts = new List<string>();
        if (torchB1 is { } tc && onnxB1 is { } oc)
        {
            parts.Add($"classify b1: ONNX Runtime is {Times(tc, oc)} than TorchSharp ({Ms(oc)} vs {Ms(tc)})");
        }
        if (burst is { } bu && oneByOne is { } ob)
        {
            parts.Add($"32 concurrent requests: {ob / bu:0.00}× the throughput of one by one (target ≥ 2.5×; {Ms(bu)} vs {Ms(ob)} per image)");
        }
        if (burst is { } bu2 && onnxB16 is { } o16)
        {
            parts.Add($"32 concurrent requests reach {100 * o16 / bu2:0}% of the offline batch-16 loop's throughput (target ≥ 90%; {Ms(o16)} per image offline)");
        }
        if (lone is { } lo && onnxB1 is { } oc2)
        {
            parts.Add($"a lone request through ModelHost takes {100 * (lo / oc2 - 1):+0;-0}% vs a direct b1 classify (target ≤ +10%; {Ms(lo)} vs {Ms(oc2)})");
        }
        if (b1 is { } f1 && b16 is { } f16)
        {
            parts.Add($"forward b16 per image is {Times(f1, f16)} than b1 ({Ms(f16)} vs {Ms(f1)})");
        }
        if (ort is { } o && b1 is { } t1)
        {
            parts.Add($"ORT b1 vs TorchSharp b1: ORT is {Times(t1, o)} ({Ms(o)} vs {Ms(t1)})");
        }
        if (decode is { } d && b1 is { } fb1)
        {
            parts.Add($"decode + preprocess is {d / fb1:0.00}× a b1 forward ({Ms(d)})");
        }
        if (decode is { } full && scaled is { } part)
        {
            parts.Add($"scaled decode + preprocess is {Times(full, part)} than full ({Ms(part)} vs {Ms(full)})");
        }
        if (pipelineFull is { } pf && pipelineScaled is { } ps)
        {
            parts.Add($"pipeline decode (3 views + 512 copy) scaled is {Times(pf, ps)} than full ({Ms(ps)} vs {Ms(pf)})");
        }
        return parts.Count == 0
            ? "Ratios: not enough benchmarks ran (a --filter left out the pairs being compared)."
            : "Ratios (per image, medians): " + string.Join("; ", parts) + ".";
    }

    /// <summary>Median nanoseconds per operation (BenchmarkDotNet already divides by OperationsPerInvoke).</summary>
    private static double? MedianNs(Summary summary, string method) =>
        summary.Reports
            .Where(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && r.ResultStatistics is not null)
            .Select(r => (double?)r.ResultStatistics!.Median)
            .FirstOrDefault();

    /// <summary>"2.41× faster" when <paramref name="other"/> is quicker than <paramref name="baseline"/>, else "1.30× slower".</summary>
    private static string Times(double baseline, double other) =>
        other <= baseline ? $"{baseline / other:0.00}× faster" : $"{other / baseline:0.00}× slower";

    private static string Ms(double ns) => $"{ns / 1e6:0.0} ms";
}
