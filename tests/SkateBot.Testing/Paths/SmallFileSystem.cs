using System.Diagnostics;

namespace SkateBot.Testing.Paths;

/// <summary>
/// A tmpfs of a few megabytes mounted at a fresh folder, for tests of a full disk; <see cref="Grow"/> gives space back,
/// dispose unmounts. Mounting needs root: <see cref="TryMount"/> returns null and says why when it cannot.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem? TryMount(int megabytes, out string why)
    {
        var path = Directory.CreateTempSubdirectory("skatebot-full-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        why = code == 0 ? "" : $"mount -t tmpfs failed ({error.Trim()}; it needs root)";
        if (code == 0) return new SmallFileSystem(path);
        Directory.Delete(path);
        return null;
    }

    /// <summary>Fills what is left with a file (deleted by <see cref="Unfill"/>), so the next real write hits ENOSPC.</summary>
    public void Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Append, FileAccess.Write, FileShare.None, 1);
        var block = new byte[4096];
        try
        {
            while (true) filler.Write(block);
        }
        catch (IOException)
        {
            // full
        }
    }

    public void Unfill() => File.Delete(System.IO.Path.Combine(Path, "filler"));

    public void Grow(int megabytes = 64)
    {
        var (code, error) = Run("mount", "-o", $"remount,size={megabytes}m", Path);
        if (code != 0) throw new InvalidOperationException($"remount failed: {error}");
    }

    public void Dispose()
    {
        if (Run("umount", Path).Code != 0) Run("umount", "-l", Path); // lazily, if a descriptor is still closing
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // still busy: an empty folder in /tmp is left behind
        }
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
