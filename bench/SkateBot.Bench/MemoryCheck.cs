using SkateBot.Vision.Inference;
using TorchSharp;

namespace SkateBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/SkateBot.Bench -- memory [count] [concurrency] [engine]</c>: the serving
/// path's resident memory (VmRSS, peak VmHWM), managed heap and live TorchSharp tensors with the model loaded, then every
/// tenth of <c>count</c> classifications (default 10,000) sent through a <see cref="ModelHost"/> in waves of
/// <c>concurrency</c> (default 4) concurrent requests. The input is a prepared random image; decoding is not part of this
/// figure. The first run in a fresh temp folder also imports the backbone and writes the checkpoint: run it twice.
/// </summary>
public static class MemoryCheck
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var concurrency = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4;
        var engine = args.Length > 3 ? InferenceOptions.ParseEngine(args[3]) : InferenceEngine.Onnx;
        Report("start (runtime loaded)");
        // A fifth argument serves that checkpoint instead (e.g. a trained one, whose calibration SKATEBOT_PRECISION=int8 uses).
        var path = args.Length > 4 ? args[4] : VisionBenchmarks.BenchCheckpointPath();
        // A seeded random input, not the synthetic JPEG: its 12 MP decode would put ~100 MB of image buffers into this
        // figure, and decoding is the image loader's figure, not the model's.
        var rng = new Random(1);
        var image = Enumerable.Range(0, 3 * VisionBenchmarks.InputSize * VisionBenchmarks.InputSize).Select(_ => (float)rng.NextDouble()).ToArray();
        await using var host = new ModelHost(new ModelHostOptions(16, TimeSpan.FromMilliseconds(15), torch.get_num_threads()));
        var classifier = SkateClassifier.Load(path, torch.CPU, InferenceOptions.Default with { Engine = engine, Threads = torch.get_num_threads() });
        Console.WriteLine($"engine: {classifier.Engine} ({classifier.EngineNote ?? "-"}); {count} classifications, {concurrency} at a time");
        host.Publish(classifier);
        Report("model loaded");
        var started = DateTime.UtcNow;
        var step = Math.Max(1, count / 10);
        for (var done = 0; done < count;)
        {
            var wave = Math.Min(concurrency, count - done);
            await Task.WhenAll(Enumerable.Range(0, wave).Select(_ => host.ClassifyAsync(image))).ConfigureAwait(false);
            var before = done;
            done += wave;
            if (done / step != before / step || done == count) Report($"{done,6} classified ({(DateTime.UtcNow - started).TotalSeconds:0} s)");
        }
        return 0;
    }

    private static void Report(string when)
    {
        var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];
        string Field(string name) => status.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? "?";
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        Console.WriteLine($"{when,-32} VmRSS {Field("VmRSS"),12}  VmHWM {Field("VmHWM"),12}  managed {GC.GetTotalMemory(false) / 1e6,7:0.0} MB  " +
                          $"live tensors (this thread) {DisposeScopeManager.Statistics.ThreadTotalLiveCount}  load {load}");
    }
}
