using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkateBot.Features.Discord;
using SkateBot.Features.Observability;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>
/// The bot's data folder on a small tmpfs that fills up while it runs (needs root to mount; skipped otherwise): photos
/// are still answered from the loaded model, saying the answer is not recorded and offering no reactions; a reaction
/// meanwhile is logged as not recorded; /healthz names the database; the vote acknowledged before the disk filled is
/// kept; once space returns, answers are recorded and correctable again.
/// </summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DiskFullServiceTests(TinyModelFixture model)
{
    [SkippableFact]
    public async Task Serve_DataFolderFills_KeepsAnsweringSaysSoLosesNoAckedVoteAndRecovers()
    {
        using var disk = SmallFileSystem.TryMount(8, out var why);
        Skip.If(disk is null, $"The full-disk service test mounts an 8 MB tmpfs: {why}; skipped.");
        Assert.NotNull(disk);
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = disk.Path,
            ["Observability:Url"] = "http://127.0.0.1:0",
        });
        var health = h.Host.Services.GetRequiredService<HealthProbe>();

        var firstPhoto = h.NewPhoto();
        var firstSha = SkateBot.Features.Classification.ClassificationPipeline.Sha256(firstPhoto);
        var first = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, firstPhoto);
        var firstReply = await h.ReplyToAsync(first);
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, (string)firstReply["id"]!, "✅", guildId: DiscordHarness.Guild));
        await DiscordHarness.WaitUntilAsync(() => h.Logs.Entries.Any(e => e.Message.StartsWith("Discord vote for", StringComparison.Ordinal)), "the first vote");
        var acked = Assert.Single(h.Db.Labels.VotesFor(firstSha));

        disk.Fill();
        var second = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        var secondReply = await h.ReplyToAsync(second, reactions: 0);
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.OtherUser, DiscordHarness.WatchedChannel, (string)firstReply["id"]!, "❌", guildId: DiscordHarness.Guild));
        await DiscordHarness.WaitUntilAsync(() => h.Logs.Entries.Any(e => e.Message.StartsWith("Discord vote on image", StringComparison.Ordinal)), "the unrecorded vote's warning");
        var whileFull = health.Check();
        GC.Collect(); // a half-committed LiteDB transaction would now throw on the finalizer thread and end the test host
        GC.WaitForPendingFinalizers();

        disk.Unfill();
        var third = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        var thirdReply = await h.ReplyToAsync(third);
        var afterwards = health.Check();

        Assert.Equal(ReplyFormatter.NotRecorded, (string?)secondReply["content"]);
        Assert.NotEmpty(secondReply["embeds"]!.AsArray()); // still the answer
        Assert.DoesNotContain(h.Fake.BotReactions, r => r.MessageId == (string)secondReply["id"]!);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("answered but not recorded", StringComparison.Ordinal)
                                            && e.Message.Contains(disk.Path, StringComparison.Ordinal));
        Assert.Contains(whileFull.Parts, p => p.Name == "database" && !p.Ok);
        Assert.True(afterwards.Ok, afterwards.ToJson());
        Assert.True(string.IsNullOrEmpty((string?)thirdReply["content"]));
        Assert.Equal([(acked.Id, DiscordHarness.User)], h.Db.Labels.VotesFor(firstSha).Select(v => (v.Id, v.UserId))); // kept; the one while full never counted
        Assert.DoesNotContain(h.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
