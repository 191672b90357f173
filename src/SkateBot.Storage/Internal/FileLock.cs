using System.Runtime.InteropServices;

namespace SkateBot.Storage;

/// <summary>
/// An exclusive lock between processes that share a data folder, held for one storage transaction: <c>flock(2)</c> on
/// <c>skatebot.db.lock</c> beside the database file.
/// </summary>
/// <remarks>
/// LiteDB's shared mode guards the file with a named mutex, and .NET keeps named mutexes in <c>/tmp/.dotnet/shm</c>: two
/// containers that mount the same data volume but not the same <c>/tmp</c> each get a mutex of their own, write at once
/// and corrupt the file (CrossProcessTests reproduces it: "page type must be collection page"). The kernel keeps
/// <c>flock</c> locks on the file itself, so they hold across containers on one host. It is taken before the mutex, in
/// the same order by every process, so the two cannot deadlock. The wait blocks in the kernel (like the mutex) rather
/// than polling, so a writer in a tight loop cannot starve the others: .NET's own <see cref="FileShare.None"/> lock
/// only tries once, and a polling waiter lost every race to a busy writer. Off Linux (not a target) there is no lock.
/// </remarks>
internal sealed partial class FileLock(string path)
{
    private const int ORdWr = 0x2, OCreat = 0x40, OCloExec = 0x80000, LockEx = 2, EIntr = 4;

    public string Path { get; } = path;

    /// <summary>Waits until no other process holds the lock; dispose the result to release it.</summary>
    public IDisposable? Acquire()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var fd = Open(Path, ORdWr | OCreat | OCloExec, Convert.ToInt32("666", 8));
        if (fd < 0) throw new IOException($"Cannot open the database lock file {Path} (errno {Marshal.GetLastPInvokeError()}); is the data folder writable?");
        while (Flock(fd, LockEx) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr) continue;
            Close(fd);
            throw new IOException($"Cannot lock the database lock file {Path} (errno {errno}); does this file system support flock?");
        }
        return new Held(fd);
    }

    private sealed class Held(int fd) : IDisposable
    {
        private int _fd = fd;

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) Close(fd); // closing the only descriptor releases the lock
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
