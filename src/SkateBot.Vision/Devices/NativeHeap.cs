using System.Runtime.InteropServices;

namespace SkateBot.Vision.Devices;

/// <summary>
/// glibc's allocator and training's large tensors. By default glibc raises its mmap threshold each time a large block is
/// freed, so after the first batches every activation tensor (up to 32 MB) comes from the heap, where freed blocks stay
/// resident and fragment: one unfrozen epoch on 40 images peaked at 1.74 GB resident and stayed at 1.5 GB after the
/// model was disposed. With the threshold fixed, blocks above it are mapped and unmapped per tensor: 1.31 GB peak and
/// 0.69 GB after at 128 KB (<c>MALLOC_MMAP_THRESHOLD_</c>), 1.35 GB peak at the 1 MB set here, which keeps the page
/// faults of mid-sized tensors away (bench/README.md, <c>retrain-cost</c>). Loading a model for serving sets it too: ONNX
/// Runtime's activation buffers behave the same way (bench <c>memory</c>: 670 → 481 MB resident after 10,000
/// classifications). Both calls are no-ops off glibc.
/// </summary>
internal static partial class NativeHeap
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    public const int ThresholdBytes = 1 << 20;
    private static int tuned;

    /// <summary>Fixes the mmap threshold (process-wide; once). Setting it also turns off glibc's dynamic raising.</summary>
    public static void UseMappedLargeBlocks()
    {
        if (Interlocked.Exchange(ref tuned, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try { _ = MallOpt(MmapThreshold, ThresholdBytes); }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { /* not glibc */ }
    }

    /// <summary>Returns freed heap memory to the system (after a training run, so a long-running bot does not keep it).</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = MallocTrim(0); }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { /* not glibc */ }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
