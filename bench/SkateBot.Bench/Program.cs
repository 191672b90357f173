using BenchmarkDotNet.Running;
using SkateBot.Bench;

// Usage: dotnet run -c Release --project bench/SkateBot.Bench [-- BenchmarkDotNet arguments, e.g. --filter '*Forward*']
// The device follows SKATEBOT_Model__Device (auto|cpu|cuda), like the bot's Model:Device setting; the intra-op
// thread count follows OMP_NUM_THREADS (see bench/README.md for why that matters on a busy box).
// `-- memory [count] [concurrency] [engine]` runs the resident-memory check instead (see MemoryCheck), and
// `-- burst [rounds]` the interleaved burst figures (see BurstCheck), `-- retrain-cost [count] [rounds]` what a retrain
// costs with and without the feature cache (see RetrainCostCheck).
if (args is ["memory", ..]) return await MemoryCheck.RunAsync(args);
if (args is ["burst", ..]) return await BurstCheck.RunAsync(args);
if (args is ["retrain-cost", ..]) return RetrainCostCheck.Run(args);
if (args is ["int8", ..]) return Int8Check.Run(args);
Console.WriteLine($"SkateBot.Bench: device {BenchDevice.Describe()}; synthetic JPEG {SyntheticPhoto.Width}x{SyntheticPhoto.Height}, " +
                  $"{SyntheticPhoto.Jpeg.Length / 1e6:0.0} MB; pretrained cache {VisionBenchmarks.ModelsDirectory}; {LoadAverage()}");
var summary = BenchmarkRunner.Run<VisionBenchmarks>(args: args);
Console.WriteLine();
Console.WriteLine($"Device: {BenchDevice.Describe()}; {LoadAverage()}");
Console.WriteLine(RatioSummary.Describe(summary));
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;

// Other processes competing for the cores change the figures several-fold (OpenMP threads wait for each other),
// so the run says how busy the machine was.
static string LoadAverage() =>
    File.Exists("/proc/loadavg")
        ? $"load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} on {Environment.ProcessorCount} cores"
        : $"{Environment.ProcessorCount} cores";
