using SkateBot.Testing.Paths;
using Xunit.Abstractions;

namespace SkateBot.Storage.Tests;

/// <summary>
/// The data folder on a file system that fills up (a 3 MB tmpfs, mounted for the test; needs root, skipped otherwise):
/// a write that does not fit fails with <see cref="StorageFullException"/> naming the folder, every write acknowledged
/// before stays readable (and survives a reopen), and once space returns (the tmpfs grows) writing works again.
/// </summary>
[Collection("child processes")]
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Writes_UntilTheDiskIsFull_FailClearlyKeepEveryAckedVoteAndRecoverWhenSpaceReturns()
    {
        using var mount = SmallFileSystem.TryMount(3, out var why);
        Skip.If(mount is null, $"The disk-full test mounts a 3 MB tmpfs: {why}; skipped.");
        Assert.NotNull(mount);
        var acked = new List<LabelVote>();
        var images = new List<string>();
        StorageFullException? full = null;
        using (var db = SkateDatabase.Open(mount.Path))
        {
            var random = new Random(7);
            for (var i = 0; i < 10_000 && full is null; i++)
            {
                try
                {
                    var bytes = new byte[20_000];
                    random.NextBytes(bytes);
                    var sha = TestDb.Sha($"image {i}");
                    db.Images.Put(sha, bytes, 10, 10, new ImageOrigin("cli", $"{i}", null, DateTimeOffset.UnixEpoch));
                    images.Add(sha);
                    acked.Add(db.Labels.Vote(sha, i % 2 == 0 ? "aggressive" : "inline", $"user{i % 3}", false, "test"));
                }
                catch (StorageFullException ex)
                {
                    full = ex;
                }
            }
            output.WriteLine($"{acked.Count} votes acknowledged before: {full?.Message}");
            Assert.NotNull(full);
            Assert.Contains(mount.Path, full.Message, StringComparison.Ordinal);
            Assert.True(acked.Count >= 5, $"only {acked.Count} writes fitted");

            // Still full: further calls fail the same way, before the engine is touched (a commit that runs out of space
            // half way leaves a transaction whose finalizer ends the process).
            Assert.Throws<StorageFullException>(() => db.Images.Put(TestDb.Sha("one more"), new byte[200_000], 1, 1, new ImageOrigin("cli", "x", null, DateTimeOffset.UnixEpoch)));
            Assert.Throws<StorageFullException>(() => db.Labels.VotesFor(acked[0].ImageSha));
            GC.Collect(); // a half-committed LiteDB transaction would now throw on the finalizer thread and end the test host
            GC.WaitForPendingFinalizers();

            mount.Grow();
            Assert.All(acked, v => Assert.Contains(db.Labels.VotesFor(v.ImageSha), stored => stored.Id == v.Id));
            acked.Add(db.Labels.Vote(images[0], "inline", "after", false, "test"));
        }

        using var reopened = SkateDatabase.Open(mount.Path);
        Assert.All(acked, v => Assert.Contains(reopened.Labels.VotesFor(v.ImageSha), stored => stored.Id == v.Id && stored.ClassName == v.ClassName));
    }
}
