using System.Diagnostics;
using SkateBot.Vision.Inference;
using TorchSharp;

namespace SkateBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/SkateBot.Bench -- burst [rounds] [checkpoint]</c>: the burst figures of the performance issue,
/// interleaved round by round so that other processes' load, which drifts over minutes on a shared box, hits every figure
/// alike (BenchmarkDotNet runs one benchmark after another). Each round measures, with ONNX Runtime on the CPU (or CUDA
/// under SKATEBOT_ORT_PROVIDER=cuda in the GPU build) and the default MaxBatchSize 16 / MaxBatchDelay 15 ms:
/// a direct batch-1 classify with each engine, a lone request through <see cref="ModelHost"/>, 32 requests one by one,
/// 32 concurrent requests, and an offline loop of two batch-16 classifies. Medians over rounds, per image.
/// </summary>
public static class BurstCheck
{
    private const int Burst = 32, Batch = 16, Singles = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var threads = torch.get_num_threads();
        var (path, image) = VisionBenchmarks.MemoryCheckInputs();
        // A third argument serves that checkpoint instead (a trained one has int8 calibration, which the default precision uses).
        if (args.Length > 2) path = args[2];
        using var onnx = SkateClassifier.Load(path, torch.CPU, InferenceOptions.Default with { Engine = InferenceEngine.Onnx, Threads = threads });
        using var torchModel = SkateClassifier.Load(path, torch.CPU, InferenceOptions.Default with { Engine = InferenceEngine.Torch, Threads = threads });
        await using var host = new ModelHost(new ModelHostOptions(Batch, TimeSpan.FromMilliseconds(15), threads));
        host.Publish(SkateClassifier.Load(path, torch.CPU, InferenceOptions.Default with { Engine = InferenceEngine.Onnx, Threads = threads }));
        float[][][] one = [[image]];
        var sixteen = Enumerable.Range(0, Batch).Select(_ => new[] { image }).ToList();
        Console.WriteLine($"burst check: {onnx.Engine} ({onnx.EngineNote}) vs {torchModel.Engine}; {rounds} rounds; {Load()}");

        // Warm-up: first runs allocate ORT's arena and libtorch's caches.
        onnx.Classify(sixteen); torchModel.Classify(one); await host.ClassifyAsync(image).ConfigureAwait(false);
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => host.ClassifyAsync(image))).ConfigureAwait(false);

        var figures = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string name, double ms) { if (!figures.TryGetValue(name, out var l)) figures[name] = l = []; l.Add(ms); }
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < Singles; i++) Add(OnnxB1, Time(() => onnx.Classify(one)));
            for (var i = 0; i < Singles; i++) Add(TorchB1, Time(() => torchModel.Classify(one)));
            for (var i = 0; i < Singles; i++) Add(Lone, await TimeAsync(() => host.ClassifyAsync(image)).ConfigureAwait(false));
            Add(OneByOne, await TimeAsync(async () => { for (var i = 0; i < Burst; i++) await host.ClassifyAsync(image).ConfigureAwait(false); }).ConfigureAwait(false) / Burst);
            Add(Concurrent, await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => host.ClassifyAsync(image)))).ConfigureAwait(false) / Burst);
            Add(Offline, Time(() => { onnx.Classify(sixteen); onnx.Classify(sixteen); }) / Burst);
            Console.WriteLine($"round {r + 1}: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value[^1]:0.0}")) + $" ms; {Load()}");
        }

        double M(string name) => Median(figures[name]);
        Console.WriteLine();
        Console.WriteLine($"| figure | median ms per image | ({rounds} rounds, {Load()}) |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, values) in figures) Console.WriteLine($"| {name} | {Median(values):0.0} | {string.Join(" ", values.Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} |");
        Console.WriteLine();
        Console.WriteLine($"classify b1: ONNX Runtime {M(TorchB1) / M(OnnxB1):0.00}× faster than TorchSharp ({M(OnnxB1):0.0} vs {M(TorchB1):0.0} ms)");
        Console.WriteLine($"32 concurrent vs one by one: {M(OneByOne) / M(Concurrent):0.00}× the throughput (target ≥ 2.5×)");
        Console.WriteLine($"32 concurrent vs offline batch-16 loop: {100 * M(Offline) / M(Concurrent):0}% of its throughput (target ≥ 90%)");
        Console.WriteLine($"lone request through ModelHost vs direct b1 classify: {100 * (M(Lone) / M(OnnxB1) - 1):+0;-0}% (target ≤ +10%)");
        return 0;
    }

    private const string OnnxB1 = "classify b1 ONNX Runtime (direct)", TorchB1 = "classify b1 TorchSharp (direct)",
        Lone = "ModelHost lone request", OneByOne = "ModelHost 32 one by one", Concurrent = "ModelHost 32 concurrent",
        Offline = "offline batch-16 loop (ONNX Runtime)";

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? $"load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "";
}
