using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SkateBot.Features.Classification;
using SkateBot.Sandbox.Discord;
using SkateBot.Tests.Features.RedditScanning;
using Xunit.Abstractions;

namespace SkateBot.Tests.Features.Discord;

/// <summary>
/// The whole bot against the fake Discord for a bounded time while the gateway misbehaves at random (seeded): TCP drops,
/// resumable and non-resumable closes and invalidations, missing heartbeat ACKs, malformed frames, events replayed twice
/// on resume, duplicated dispatches, bursts of photos. Every photo message must get exactly one reply, every reaction
/// one vote, nothing may be logged as an error, and managed memory must stay flat. <c>SKATEBOT_SOAK_SECONDS</c> makes
/// it longer (default 40). It runs alone (no other test in the process), so the heap it measures is the bot's.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class GatewayChaosSoakTests(TinyModelFixture model, ITestOutputHelper output)
{
    private static readonly string[] Voters = ["300000000000000101", "300000000000000102", "300000000000000103", "300000000000000104"];

    [Fact]
    public async Task Soak_RandomGatewayFaultsAndDuplicates_EveryPhotoOneReplyEveryReactionOneVote()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("SKATEBOT_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 40;
        var unobserved = 0;
        void Count(object? sender, UnobservedTaskExceptionEventArgs e) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += Count;
        // Each resume replays the last two events the client already had, as Discord may: duplicates on every reconnect.
        await using var h = await DiscordHarness.CreateAsync(model, new FakeDiscordOptions { ResumeReplayOverlap = 2, HeartbeatInterval = TimeSpan.FromMilliseconds(700) });
        await h.Host.StartAsync();
        await DiscordHarness.WaitUntilAsync(() => h.Fake.RequestsTo("PUT", "/applications/*/commands").Count > 0, "identify and command registration");

        var random = new Random(20261201);
        var photos = new List<(JsonObject Message, string Sha)>();
        var votes = new Dictionary<(string Sha, string User), string>();
        var faults = new Dictionary<string, int>();
        long? heapAfterWarmup = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var roll = random.Next(100);
            if (roll < 35) await PostAsync(1);
            else if (roll < 42) await PostAsync(8); // a burst
            else if (roll < 52 && photos.Count > 0) await h.Fake.DispatchAsync("MESSAGE_CREATE", photos[random.Next(photos.Count)].Message); // delivered twice
            else if (roll < 70) await ReactAsync();
            else if (roll < 76) await FaultAsync("tcp drop", () => { h.Fake.DropConnection(); return Task.CompletedTask; });
            else if (roll < 81) await FaultAsync("close 4000 (resume)", () => h.Fake.CloseAsync(4000, "Unknown error"));
            else if (roll < 84) await FaultAsync("close 4009 (re-identify)", () => h.Fake.CloseAsync(4009, "Session timed out"), reidentify: true);
            else if (roll < 88) await FaultAsync("op 9 resumable", () => h.Fake.InvalidateSessionAsync(resumable: true));
            else if (roll < 91) await FaultAsync("op 9 not resumable", () => h.Fake.InvalidateSessionAsync(resumable: false), reidentify: true);
            else if (roll < 94) await FaultAsync("op 7 reconnect", () => h.Fake.SendOpAsync(7));
            else if (roll < 97) await FaultAsync("malformed frame", () => h.Fake.SendRawAsync(random.Next(2) == 0 ? "{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":" : "not json at all"));
            else await FaultAsync("missing heartbeat ACKs", () => { h.Fake.GoSilent(); return Task.CompletedTask; });
            await Task.Delay(random.Next(0, 40));
            if (heapAfterWarmup is null && photos.Count >= 30)
            {
                await DiscordHarness.WaitUntilAsync(() => photos.All(p => h.RepliesTo(p.Message).Count > 0), "the warm-up replies");
                heapAfterWarmup = ManagedHeap();
            }
        }

        await DiscordHarness.WaitUntilAsync(() => photos.All(p => h.RepliesTo(p.Message).Count > 0), $"a reply to each of {photos.Count} photos");
        await DiscordHarness.WaitUntilAsync(() => votes.All(v => h.Db.Labels.VotesFor(v.Key.Sha).Any(x => x.UserId == v.Key.User)), $"{votes.Count} votes");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a late duplicate would show up now
        var heapAtEnd = ManagedHeap();
        TaskScheduler.UnobservedTaskException -= Count;

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: {photos.Count} photos, {votes.Count} reactions, faults: " +
                         string.Join(", ", faults.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} ×{f.Value}")) +
                         $"; identifies {h.Fake.IdentifyCount}, resumes {h.Fake.ResumeCount}; managed heap {heapAfterWarmup / 1e6:0.0} → {heapAtEnd / 1e6:0.0} MB");
        Assert.True(photos.Count >= 50, $"only {photos.Count} photos posted");
        Assert.True(faults.Values.Sum() >= 10, $"only {faults.Values.Sum()} faults");
        Assert.All(photos, p => Assert.Single(h.RepliesTo(p.Message)));
        foreach (var ((sha, user), className) in votes)
        {
            var vote = Assert.Single(h.Db.Labels.VotesFor(sha), v => v.UserId == user);
            Assert.Equal((className, false), (vote.ClassName, vote.Withdrawn));
        }
        Assert.Empty(h.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}"));
        Assert.Equal(0, Volatile.Read(ref unobserved));
        Assert.True(heapAtEnd - heapAfterWarmup < 64_000_000, $"managed heap grew from {heapAfterWarmup} to {heapAtEnd} bytes");

        async Task PostAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var photo = h.NewPhoto();
                photos.Add((await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, photo), ClassificationPipeline.Sha256(photo)));
            }
        }

        async Task ReactAsync()
        {
            // A photo already answered, by a voter who has not voted on it: one reaction, sometimes delivered twice.
            // Answered means the reply exists, even before the bot's POST has returned its id and the bot has linked it
            // to its image: a reaction in that moment is held and counted once the link is written (CI on a loaded box
            // once reacted there and lost one of 13 votes, before the bot held such reactions).
            var answered = photos.Where(p => h.RepliesTo(p.Message).Count > 0).ToList();
            if (answered.Count == 0) return;
            var (message, sha) = answered[random.Next(answered.Count)];
            var user = Voters[random.Next(Voters.Length)];
            if (votes.ContainsKey((sha, user))) return;
            var reply = h.RepliesTo(message)[0];
            var title = (string)reply["embeds"]![0]!["title"]!;
            var predicted = TinyModelFixture.Classes.Single(c => string.Equals(c.Replace('_', ' '), title, StringComparison.OrdinalIgnoreCase));
            var right = random.Next(2) == 0;
            votes[(sha, user)] = right ? predicted : TinyModelFixture.Classes.Single(c => c != predicted);
            // A reaction Discord shows (a re-identified bot's catch-up reads it back) and delivers, sometimes twice.
            await h.Fake.ReactAsync(user, DiscordHarness.WatchedChannel, (string)reply["id"]!, right ? "✅" : "❌");
            if (random.Next(3) == 0)
                await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(user, DiscordHarness.WatchedChannel, (string)reply["id"]!, right ? "✅" : "❌", guildId: DiscordHarness.Guild));
        }

        // One fault at a time: inject it, then wait until the client is back (it resumed or identified again); photos posted
        // meanwhile after a resumable fault must arrive through the replay. After a
        // non-resumable one the events of the old session are gone, as on Discord, so nothing is dispatched until the
        // new session exists.
        async Task FaultAsync(string name, Func<Task> inject, bool reidentify = false)
        {
            var received = h.Fake.GatewayReceived.Count;
            var reconnects = h.Fake.IdentifyCount + h.Fake.ResumeCount;
            faults[name] = faults.GetValueOrDefault(name) + 1;
            await inject();
            if (reidentify) // the fake handles each payload before it reads the next: one after the Identify means READY went out
                await DiscordHarness.WaitUntilAsync(() => h.Fake.GatewayReceived.Skip(received).SkipWhile(p => p.Op != 2).Skip(1).Any(), $"a new session after {name}");
            else
            {
                await PostAsync(2); // while the client is away: kept by the session and replayed on resume
                await DiscordHarness.WaitUntilAsync(() => h.Fake.IdentifyCount + h.Fake.ResumeCount > reconnects, $"a reconnect after {name}");
            }
        }
    }

    private static long ManagedHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Tests that measure the process (its managed heap) while they run: xUnit runs this collection after the
/// parallel ones, alone, so other tests' allocations do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "Soaks (run alone)";
}
