using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Export;
using SkateBot.Vision.Imaging;
using TorchSharp;

namespace SkateBot.Bench;

/// <summary>
/// <c>int8 MODEL CALIBRATION_DIR EVAL_DIR [threads]</c>: what serving an int8 (QDQ) export of MODEL would give, against
/// the float export served today: activation ranges measured on CALIBRATION_DIR's input views (use training photos,
/// never the holdout), then on EVAL_DIR's views the agreement of the two (argmax, largest probability difference) and
/// the batch-1 forward time of each (medians, interleaved). A what-if, not a serving path.
/// </summary>
public static class Int8Check
{
    public static int Run(string[] args)
    {
        if (args.Length < 4) { Console.Error.WriteLine("usage: int8 MODEL CALIBRATION_DIR EVAL_DIR [threads]"); return 2; }
        var threads = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : torch.get_num_threads();
        var (model, convention, info) = CheckpointFile.Load(args[1], torch.CPU);
        using var _ = model;
        model.eval();
        var loader = new ImageLoader(new ImageLimits());
        float[][] Views(string dir) => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
                        || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".webp", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => { using var image = loader.Load(f); return InputViews.Make(image, info.Preprocessing, convention.Size); })
            .ToArray();
        var calibration = Views(args[2]);
        var eval = Views(args[3]);
        Console.WriteLine($"int8 what-if: {args[1]} ({info.Preprocessing}), {calibration.Length} calibration views from {args[2]}, " +
                          $"{eval.Length} evaluation views from {args[3]}, {threads} ORT threads");

        SessionOptions Options() => new()
        {
            IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, EnableCpuMemArena = false,
        };
        var size = convention.Size;
        DenseTensor<float> Input(float[] view) => new(view, [1, 3, size, size]);

        var ranges = ActivationCalibration.Measure(model, convention, calibration, threads);

        using var fp = new InferenceSession(SkateNetOnnxExporter.Export(model, convention), Options());
        using var q8 = new InferenceSession(SkateNetQdqExporter.Quantized(model, convention, ranges), Options());
        float[] Logits(InferenceSession s, float[] view)
        {
            using var outputs = s.Run([NamedOnnxValue.CreateFromTensor(SkateNetOnnxExporter.InputName, Input(view))]);
            return outputs.Single(o => o.Name == SkateNetOnnxExporter.OutputName).AsEnumerable<float>().ToArray();
        }
        static double[] Softmax(float[] z)
        {
            var m = z.Max();
            var e = z.Select(v => Math.Exp(v - m)).ToArray();
            var sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }

        var agree = 0;
        var worst = 0.0;
        foreach (var view in eval)
        {
            var a = Softmax(Logits(fp, view));
            var b = Softmax(Logits(q8, view));
            if (Array.IndexOf(a, a.Max()) == Array.IndexOf(b, b.Max())) agree++;
            worst = Math.Max(worst, a.Zip(b).Max(p => Math.Abs(p.First - p.Second)));
        }
        Console.WriteLine($"agreement: {agree} of {eval.Length} views take the same class; largest probability difference {worst:0.0000}");

        var fpTimes = new List<double>();
        var q8Times = new List<double>();
        for (var i = 0; i < 5; i++) { Logits(fp, eval[0]); Logits(q8, eval[0]); }
        for (var round = 0; round < 40; round++)
        {
            var view = eval[round % eval.Length];
            var clock = Stopwatch.StartNew();
            Logits(fp, view);
            fpTimes.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            Logits(q8, view);
            q8Times.Add(clock.Elapsed.TotalMilliseconds);
        }
        double Median(List<double> xs) { var s = xs.Order().ToArray(); return (s[(s.Length - 1) / 2] + s[s.Length / 2]) / 2; }
        Console.WriteLine($"batch-1 forward, median of 40 interleaved: float {Median(fpTimes):0.0} ms, int8 {Median(q8Times):0.0} ms " +
                          $"({Median(fpTimes) / Median(q8Times):0.00}x)");
        return 0;
    }
}
