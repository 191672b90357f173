using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace SkateBot.Bench;

/// <summary>
/// A short job sized for a 2-core box (under a minute when the box is quiet, a few minutes when it is busy), in
/// process: the default out-of-process toolchain generates and builds a separate project whose output would not get
/// the GLIBCXX ELF fix (build/TorchSharpElfFix.targets), so libLibTorchSharp.so would fail to load on Debian 12.
/// An operation takes tens to hundreds of milliseconds, so no unrolling; the pilot stage picks how many operations
/// fill a 300 ms iteration (one for batch 16, several for ONNX Runtime), which keeps timer noise out of the fast rows.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            // In-process benchmarks are cut off after 5 minutes by default; batch 16 on a box loaded 15× over takes longer.
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(12)
            .WithIterationTime(TimeInterval.FromMilliseconds(300))
            .WithUnrollFactor(1)
            .WithId("Short-InProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
