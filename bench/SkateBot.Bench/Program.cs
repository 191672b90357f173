using BenchmarkDotNet.Running;
using SkateBot.Bench;

// Usage: dotnet run -c Release --project bench/SkateBot.Bench [-- BenchmarkDotNet arguments, e.g. --filter '*Forward*']
// The device follows SKATEBOT_Model__Device (auto|cpu|cuda), like the bot's Model:Device setting.
Console.WriteLine($"SkateBot.Bench: device {BenchDevice.Describe()}; synthetic JPEG {SyntheticPhoto.Width}x{SyntheticPhoto.Height}, " +
                  $"{SyntheticPhoto.Jpeg.Length / 1e6:0.0} MB; pretrained cache {VisionBenchmarks.ModelsDirectory}");
var summary = BenchmarkRunner.Run<VisionBenchmarks>(args: args);
Console.WriteLine();
Console.WriteLine($"Device: {BenchDevice.Describe()}");
Console.WriteLine(RatioSummary.Describe(summary));
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
