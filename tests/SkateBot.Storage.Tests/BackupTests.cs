using LiteDB;

namespace SkateBot.Storage.Tests;

/// <summary><see cref="SkateDatabase.Backup"/> while another process keeps writing to the same file (shared mode).</summary>
[Collection("child processes")]
public sealed class BackupTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Backup_WhileAnotherProcessWrites_EachCopyOpensWithTheCountsOfOneMomentAndOneCurrentVotePerUser()
    {
        using var t = new TestDb();
        var sha = t.PutImage();
        t.Db.Predictions.Add(sha, "v1", "inline", new Dictionary<string, double> { ["aggressive"] = 0.2, ["inline"] = 0.8 }, "test");
        using var backups = new TestDb();
        using var writer = CrashWriterProcess.Start(t.Directory, sha, "u", 1_000_000);
        Assert.True(writer.WaitForFirstAck(StartTimeout), $"the writer did not start; stderr: {writer.Stderr()}");

        var votes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var path = Path.Combine(backups.Directory, $"backup-{i}.db");
            var backup = t.Db.Backup(path);

            Assert.Equal(path, backup.Path);
            Assert.False(File.Exists(path + ".partial"));
            Assert.Empty(Directory.GetFiles(backups.Directory, $"backup-{i}-log*"));
            using (var copy = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true }))
                Assert.Equal(backup.Counts, copy.GetCollectionNames().ToDictionary(n => n, n => copy.GetCollection(n).Count()));
            // Restoring is copying the file into a data directory: the copy opens as the bot opens it.
            var restored = Directory.CreateDirectory(Path.Combine(backups.Directory, $"restored-{i}")).FullName;
            File.Copy(path, Path.Combine(restored, SkateDatabase.FileName));
            using (var db = SkateDatabase.Open(restored))
            {
                var all = db.Labels.VotesFor(sha);
                Assert.All(all.Where(v => !v.Withdrawn).GroupBy(v => v.UserId), user => Assert.Single(user)); // supersede is one transaction
                Assert.Single(db.Predictions.ForImage(sha));
                votes.Add(all.Count);
            }
            Thread.Sleep(150);
        }
        writer.Kill();

        Assert.True(votes.Zip(votes.Skip(1)).All(p => p.First <= p.Second), string.Join(", ", votes));
        Assert.True(votes[^1] > votes[0], $"the writer wrote nothing between the backups: {string.Join(", ", votes)}");
    }

    [Fact]
    public void Backup_DestinationExists_RefusedAndLeftAlone()
    {
        using var t = new TestDb();
        var path = Path.Combine(t.Directory, "existing.db");
        File.WriteAllText(path, "keep me");

        var error = Assert.Throws<IOException>(() => t.Db.Backup(path));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
    }
}
