using LiteDB;

namespace SkateBot.Storage;

/// <summary>A verified copy of the database: where it is and the documents per collection it holds.</summary>
public sealed record DatabaseBackup(string Path, long Bytes, IReadOnlyDictionary<string, int> Counts);

public sealed partial class SkateDatabase
{
    /// <summary>
    /// Copies the database to <paramref name="destination"/> while other connections (the running service, other
    /// processes) may be using it, and checks the copy.
    /// </summary>
    /// <remarks>
    /// The copy is taken inside one storage transaction: shared mode then holds the file's named mutex, so no process
    /// can write until it is done, and the data file plus its write-ahead log (<c>skatebot-log.db</c>, present only
    /// while a transaction is being checkpointed or after a crash) are a consistent pair. The pair is written under a
    /// temporary name, opened on its own (which checkpoints the log into the file), its collections counted against the
    /// counts read under the same lock, and only then renamed to <paramref name="destination"/>: a failed backup leaves
    /// no file that looks like a good one.
    /// </remarks>
    /// <exception cref="IOException">The destination exists, or the copy does not match.</exception>
    public DatabaseBackup Backup(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var target = System.IO.Path.GetFullPath(destination);
        if (File.Exists(target))
            throw new IOException($"{target} already exists; back up to a new file (nothing was written).");
        if (string.Equals(target, FilePath, StringComparison.Ordinal))
            throw new IOException("The backup must be a different file from the database.");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        try
        {
            var expected = _gate.Run(db =>
            {
                var counts = Count(db);
                CopyFile(FilePath, partial);
                if (File.Exists(LogFileOf(FilePath))) CopyFile(LogFileOf(FilePath), LogFileOf(partial));
                return counts;
            });
            var actual = Verify(partial);
            if (!expected.OrderBy(c => c.Key).SequenceEqual(actual.OrderBy(c => c.Key)))
                throw new IOException(
                    $"The copy does not match the database (expected {Describe(expected)}, the copy has {Describe(actual)}); nothing was kept.");
            File.Move(partial, target);
            return new DatabaseBackup(target, new FileInfo(target).Length, actual);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(LogFileOf(partial));
        }
    }

    /// <summary>Opens the copy alone, folds its log into the file, and counts its documents.</summary>
    private static Dictionary<string, int> Verify(string path)
    {
        using var copy = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        copy.Checkpoint(); // after this the log holds nothing the file lacks
        return Count(copy);
    }

    private static Dictionary<string, int> Count(LiteDatabase db) =>
        db.GetCollectionNames().ToDictionary(name => name, name => db.GetCollection(name).Count(), StringComparer.Ordinal);

    private static void CopyFile(string source, string destination)
    {
        // The engine holding the mutex has the file open; reading alongside it is allowed (LiteDB shares it).
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
    }

    /// <summary>Where LiteDB 5 keeps a file's write-ahead log: <c>name-log.ext</c> beside it.</summary>
    private static string LogFileOf(string path) => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!,
        System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
