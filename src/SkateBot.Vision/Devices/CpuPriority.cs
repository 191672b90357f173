using System.Runtime.InteropServices;

namespace SkateBot.Vision.Devices;

/// <summary>
/// A background retrain's CPU priority. On Linux the nice value is a property of each thread, and a thread starts with its
/// creator's: a retrain thread that lowers its own priority first (<see cref="LowerCurrentThread"/>) passes it on to
/// every thread it starts afterwards (the frozen phase's workers, <see cref="OwnThreads"/>, libtorch's OpenMP team, ONNX
/// Runtime's intra-op threads), while the thread pool that serves replies keeps its own. So a retrain may use every core
/// and replies still come first: when they compete, the scheduler gives a thread at nice 10 about a tenth of what one at
/// 0 gets, one at nice 19 about a seventieth. Raising the value needs no privilege; lowering it again would, so only threads that end with the retrain
/// (never pool threads) are lowered. No-ops off Linux.
/// </summary>
public static partial class CpuPriority
{
    private const int PrioProcess = 0; // PRIO_PROCESS: with a thread id, that thread alone on Linux

    /// <summary>Sets the calling thread's nice value to <paramref name="nice"/> (1..19; 0 or less does nothing).
    /// Returns whether it was set.</summary>
    public static bool LowerCurrentThread(int nice)
    {
        if (nice <= 0 || !OperatingSystem.IsLinux()) return false;
        try { return SetPriority(PrioProcess, (uint)GetTid(), Math.Min(nice, 19)) == 0; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>The calling thread's nice value (0 off Linux).</summary>
    public static int CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            // /proc/thread-self/stat's 19th field is the nice value; getpriority's -1 would need errno to tell from an error.
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, uint who, int prio);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
