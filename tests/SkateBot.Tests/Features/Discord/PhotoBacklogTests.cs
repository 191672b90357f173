using System.Text.Json.Nodes;
using SkateBot.Features.Discord;
using SkateBot.Sandbox.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>More photos than the bot can look at: beyond Discord:MaxPhotosInProgress each new photo is declined at once with
/// a polite note instead of joining a queue without end (issue 11's end-to-end bench: at 24 photos/s on 2 cores the backlog
/// and every photo's wait grew for as long as photos came); every photo still gets exactly one reply.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class PhotoBacklogTests(TinyModelFixture model)
{
    [Fact]
    public async Task Overload_BeyondMaxPhotosInProgress_RestDeclinedAtOnce_EveryPhotoOneReply_ThenAnsweredAgain()
    {
        // The CDN holds every download for 5 s, so the first two photos stay in progress while the others arrive.
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?> { ["Discord:MaxPhotosInProgress"] = "2" },
            new FakeDiscordOptions { CdnDelay = TimeSpan.FromSeconds(5) });
        var messages = new List<JsonObject>();
        for (var i = 0; i < 6; i++)
            messages.Add(await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto(), $"photo{i}.jpg"));

        await DiscordHarness.WaitUntilAsync(() => messages.Count(m => h.RepliesTo(m).Any(IsBusy)) == 4, "four busy notes");
        Assert.DoesNotContain(messages, m => h.RepliesTo(m).Any(IsAnswer)); // declined at once, not after the held downloads
        await DiscordHarness.WaitUntilAsync(() => messages.Count(m => h.RepliesTo(m).Any(IsAnswer)) == 2, "the two admitted photos' answers");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second reply to any of them would show now

        Assert.All(messages, m => Assert.Single(h.RepliesTo(m)));
        Assert.Equal(ReplyFormatter.Busy, (string?)messages.SelectMany(h.RepliesTo).First(IsBusy)["content"]);
        // The places are free again once the answers are out: the next photo is answered.
        await DiscordHarness.WaitUntilAsync(() => h.Host.Services.GetService(typeof(PhotoReplyHandler)) is PhotoReplyHandler { PhotosInProgress: 0 }, "no photo in progress");
        var later = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto(), "later.jpg");
        Assert.True(IsAnswer(await h.ReplyToAsync(later)));
    }

    [Fact]
    public async Task Classify_WhileTheBoundIsTaken_AnsweredBusyAtOnce_ThenAnsweredOnceFree()
    {
        // /classify counts against the same bound: before, it started a download and a classification whatever was queued.
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?> { ["Discord:MaxPhotosInProgress"] = "1" },
            new FakeDiscordOptions { CdnDelay = TimeSpan.FromSeconds(4) });
        var held = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto(), "held.jpg");
        var replies = (PhotoReplyHandler)h.Host.Services.GetService(typeof(PhotoReplyHandler))!;
        await DiscordHarness.WaitUntilAsync(() => replies.PhotosInProgress == 1, "the channel photo in progress");

        var photo = h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "mine.jpg", h.NewPhoto(), "image/jpeg", 80, 60);
        var slash = h.Fake.SlashCommand("classify", DiscordHarness.WatchedChannel, attachment: photo);
        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);
        var token = (string)slash["token"]!;
        var callback = await h.Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains(token, StringComparison.Ordinal), DiscordHarness.Patience);
        Assert.Equal(4, callback.Json.GetProperty("type").GetInt32()); // a message, not a deferred answer
        Assert.Equal(ReplyFormatter.Busy, callback.Json.GetProperty("data").GetProperty("content").GetString());
        Assert.Empty(h.RepliesTo(held)); // declined while the held download still runs

        Assert.True(IsAnswer(await h.ReplyToAsync(held)));
        await DiscordHarness.WaitUntilAsync(() => replies.PhotosInProgress == 0, "no photo in progress");
        var again = h.Fake.SlashCommand("classify", DiscordHarness.WatchedChannel,
            attachment: h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "again.jpg", h.NewPhoto(), "image/jpeg", 80, 60));
        await h.Fake.DispatchAsync("INTERACTION_CREATE", again);
        var second = await h.Fake.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains((string)again["token"]!, StringComparison.Ordinal), DiscordHarness.Patience);
        Assert.Equal(5, second.Json.GetProperty("type").GetInt32()); // deferred: it is being looked at
        await DiscordHarness.WaitUntilAsync(() => replies.PhotosInProgress == 0, "the /classify answer out and its place returned");
    }

    private static bool IsBusy(JsonObject reply) => (string?)reply["content"] == ReplyFormatter.Busy;

    private static bool IsAnswer(JsonObject reply) => reply["embeds"] is JsonArray { Count: > 0 };
}
