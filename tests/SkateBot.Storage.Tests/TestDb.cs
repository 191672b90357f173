using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace SkateBot.Storage.Tests;

/// <summary>A real database file in a fresh temp directory, deleted on dispose.</summary>
internal sealed class TestDb : IDisposable
{
    public TestDb(string? parent = null)
    {
        Directory = Path.Combine(parent ?? Path.GetTempPath(), "skatebot-storage-tests", Guid.NewGuid().ToString("N"));
        Db = SkateDatabase.Open(Directory, Time);
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public SkateDatabase Db { get; private set; }

    /// <summary>Closes and opens the file again, as a restarted service would.</summary>
    public SkateDatabase Reopen()
    {
        Db.Dispose();
        Db = SkateDatabase.Open(Directory, Time);
        return Db;
    }

    /// <summary>Stores a small fake image and returns its id.</summary>
    public string PutImage(string seed = "img")
    {
        var sha = Sha(seed);
        Db.Images.Put(sha, [1, 2, 3, 4], 4, 1, new ImageOrigin("cli", seed, null, Time.GetUtcNow()));
        return sha;
    }

    public static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));

    public void Dispose()
    {
        Db.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process of a crash test may still hold the file for a moment; temp is cleaned eventually.
        }
    }
}
