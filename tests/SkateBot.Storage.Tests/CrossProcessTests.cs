using Xunit.Abstractions;

namespace SkateBot.Storage.Tests;

/// <summary>
/// The database used by several processes, and processes killed mid-write (SIGKILL via Process.Kill on Linux).
/// In one collection so the two child-process tests do not compete for the CPU with each other.
/// </summary>
[Collection("child processes")]
public sealed class CrossProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Vote_WriterKilledMidWrite20Times_EveryAckedVoteSurvivesAndOneCurrentVotePerUser()
    {
        using var t = new TestDb();
        var sha = t.PutImage();
        var random = new Random(20250301);
        var acked = new List<Ack>();
        var lastAckedByUser = new Dictionary<string, long>();

        for (var round = 0; round < 20; round++)
        {
            using (var child = CrashWriterProcess.Start(t.Directory, sha, "u", 1_000_000))
            {
                Assert.True(child.WaitForFirstAck(StartTimeout), $"round {round}: no ack; stderr: {child.Stderr()}");
                Thread.Sleep(random.Next(0, 120));
                child.Kill();
                var acks = child.Acks();
                Assert.NotEmpty(acks);
                output.WriteLine($"round {round}: {acks.Count} acks before the kill");
                acked.AddRange(acks);
                foreach (var ack in acks)
                {
                    lastAckedByUser[ack.UserId] = ack.VoteId;
                }
            }

            // A fresh open after every kill: the file must open (recovering the log) and hold every acked vote.
            var votes = t.Reopen().Labels.VotesFor(sha).ToDictionary(v => v.Id);
            foreach (var ack in acked)
            {
                Assert.True(votes.TryGetValue(ack.VoteId, out var vote), $"round {round}: acked vote {ack.VoteId} (step {ack.Step}) lost");
                Assert.Equal((ack.UserId, ack.ClassName), (vote.UserId, vote.ClassName));
            }

            // Supersede = withdraw + insert in one transaction: a kill between the two would leave zero or two.
            foreach (var user in votes.Values.GroupBy(v => v.UserId))
            {
                var current = Assert.Single(user, v => !v.Withdrawn);
                // A vote may be committed but not acked (killed in between); it is then newer than any ack.
                var lastAck = lastAckedByUser.GetValueOrDefault(user.Key);
                Assert.True(current.Id >= lastAck, $"round {round}: {user.Key}'s current vote is older than its last ack");
            }
        }

        Assert.True(acked.Count >= 20, $"only {acked.Count} acks in 20 rounds");
    }

    [Fact]
    public void Vote_TwoProcessesAtOnce_BothProgressAndAllWritesPresent()
    {
        using var t = new TestDb();
        var sha = t.PutImage();
        using var child = CrashWriterProcess.Start(t.Directory, sha, "child", 200);
        Assert.True(child.WaitForFirstAck(StartTimeout), $"no ack; stderr: {child.Stderr()}");

        var mine = new List<LabelVote>();
        for (var i = 0; i < 100; i++)
        {
            mine.Add(t.Db.Labels.Vote(sha, i % 2 == 0 ? "aggressive" : "inline", "test" + (i % 5), false, "test"));
            if (i % 10 == 0)
            {
                _ = t.Db.Stats(minVotes: 1);
            }
        }

        Assert.Equal(0, child.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.Contains("done 200", child.Lines());

        var votes = t.Reopen().Labels.VotesFor(sha);
        var ids = votes.Select(v => v.Id).ToHashSet();
        Assert.All(mine, v => Assert.Contains(v.Id, ids));
        Assert.All(child.Acks(), a => Assert.Contains(a.VoteId, ids));
        Assert.Equal(mine.Count + child.Acks().Count, votes.Count);
        Assert.Equal(12, votes.Count(v => !v.Withdrawn));

        // Both wrote while the other was running: in id (commit) order the writer changes several times.
        var writers = votes.OrderBy(v => v.Id).Select(v => v.UserId.StartsWith("child", StringComparison.Ordinal)).ToList();
        var switches = writers.Zip(writers.Skip(1)).Count(p => p.First != p.Second);
        Assert.True(switches >= 4, $"writes did not interleave ({switches} switches)");
    }

    [SkippableFact]
    public void Vote_TwoProcessesWithTheirOwnTmp_AsTwoContainersOnOneVolume_AllWritesPresent()
    {
        var why = CrashWriterProcess.CannotIsolateTmp();
        Skip.If(why is not null, $"Two writers with separate /tmp (two containers on one volume) need a private mount namespace: {why}; skipped.");
        // The data folder must be visible from both mount namespaces: not under /tmp.
        using var t = new TestDb(AppContext.BaseDirectory);
        var sha = t.PutImage();

        using var a = CrashWriterProcess.Start(t.Directory, sha, "a", 300);
        using var b = CrashWriterProcess.Start(t.Directory, sha, "b", 300, ownTmp: true);
        var exitA = a.WaitForExit(TimeSpan.FromMinutes(3));
        var exitB = b.WaitForExit(TimeSpan.FromMinutes(3));

        Assert.True(exitA == 0 && exitB == 0, $"writers failed ({exitA}, {exitB}): {a.Stderr()} {b.Stderr()}");
        var votes = t.Reopen().Labels.VotesFor(sha);
        var ids = votes.Select(v => v.Id).ToHashSet();
        Assert.All(a.Acks().Concat(b.Acks()), ack => Assert.Contains(ack.VoteId, ids));
        Assert.Equal(a.Acks().Count + b.Acks().Count, votes.Count);
        Assert.Equal(14, votes.Count(v => !v.Withdrawn)); // 7 users each, one current vote per user
    }
}

public sealed class InProcessConcurrencyTests
{
    [Fact]
    public void Vote_ManyThreadsTwoInstances_AllVotesStored()
    {
        using var t = new TestDb();
        var sha = t.PutImage();
        using var second = SkateDatabase.Open(t.Directory, t.Time);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var db = thread % 2 == 0 ? t.Db : second;
            for (var i = 0; i < 15; i++)
            {
                db.Labels.Vote(sha, i % 2 == 0 ? "aggressive" : "inline", $"t{thread}", false, "test");
            }
        });

        var votes = t.Db.Labels.VotesFor(sha);
        Assert.Equal(8 * 15, votes.Count);
        Assert.Equal(8, votes.Count(v => !v.Withdrawn));
    }
}
