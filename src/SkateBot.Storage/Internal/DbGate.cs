using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// Runs every storage operation as one LiteDB transaction under one in-process lock.
/// </summary>
/// <remarks>
/// Why: LiteDB 5's shared mode (<c>Connection=shared</c>) guards the file with a named, thread-affine
/// <see cref="Mutex"/> and opens/closes the engine around each call. Two threads of one process using the
/// same <see cref="LiteDatabase"/> would share one engine and release a mutex they do not own, so calls are
/// serialised here. The explicit transaction keeps the mutex (and the engine) for the whole operation: a
/// read-modify-write is atomic across processes, multi-step reads see one snapshot, and the engine is
/// opened once per operation instead of once per statement. When the transaction commits, the engine is
/// closed, which writes the log to the file before the caller gets control back. Around it, a <see cref="FileLock"/>
/// keeps processes that do not share the mutex (other containers on the same volume) out.
/// </remarks>
internal sealed class DbGate(LiteDatabase db, FileLock? processLock = null, string dataDirectory = "")
{
    private readonly Lock _lock = new();

    public T Run<T>(Func<LiteDatabase, T> operation)
    {
        lock (_lock)
        {
            EnsureSpace();
            using var held = processLock?.Acquire();
            if (!db.BeginTrans())
            {
                throw new InvalidOperationException("A storage transaction is already open on this thread (nested storage call).");
            }

            try
            {
                var result = operation(db);
                db.Commit();
                return result;
            }
            catch (Exception ex)
            {
                try
                {
                    db.Rollback();
                }
                catch (Exception) when (IsDiskFull(ex))
                {
                    // the rollback of a write that did not fit may itself hit the full disk; the log is discarded on reopen
                }
                if (IsDiskFull(ex)) throw new StorageFullException(dataDirectory, ex);
                throw;
            }
        }
    }

    /// <summary>Below this much free space in the data folder no transaction starts (see <see cref="EnsureSpace"/>).</summary>
    public const long MinFreeBytes = 1024 * 1024;

    /// <summary>
    /// Refuses to start a transaction when the data folder's file system is (nearly) full. A commit that runs out of space
    /// half way leaves LiteDB's transaction unable to roll back, and its finalizer then throws on the GC thread, which ends
    /// the process ("discarded page must be writable"); stopping before the engine is touched keeps the file and the
    /// process intact. A write larger than the margin can still hit the full disk; that case is caught below.
    /// </summary>
    private void EnsureSpace()
    {
        if (dataDirectory.Length == 0) return;
        long free;
        try
        {
            free = new DriveInfo(dataDirectory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // cannot tell: let the write try
        }
        if (free < MinFreeBytes) throw new StorageFullException(dataDirectory, new IOException($"{free} bytes free, less than {MinFreeBytes}"));
    }

    /// <summary>ENOSPC or EDQUOT anywhere in the chain (LiteDB may wrap the IOException).</summary>
    internal static bool IsDiskFull(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is IOException io && (io.HResult is 28 or 122 or 0x70 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
                || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("quota", StringComparison.OrdinalIgnoreCase)))
                return true;
        }
        return false;
    }

    /// <summary>Closes the database once no operation is running.</summary>
    public void Close()
    {
        lock (_lock)
        {
            db.Dispose();
        }
    }

    public void Run(Action<LiteDatabase> operation) => Run(d =>
    {
        operation(d);
        return 0;
    });
}
