using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SkateBot.Bench;

/// <summary>
/// A short job sized for a 2-core box (the whole run takes a few minutes), in process:
/// the default out-of-process toolchain generates and builds a separate project whose output would not get
/// the GLIBCXX ELF fix (build/TorchSharpElfFix.targets), so libLibTorchSharp.so would fail to load on Debian 12.
/// Each invocation is a whole image (or batch of 16) taking tens to hundreds of milliseconds, so one invocation
/// per iteration is precise enough and unrolling would only multiply the run time.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Short-InProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
