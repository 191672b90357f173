using Microsoft.Extensions.Time.Testing;
using SkateBot.Features.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>A flood of photos from one person: answered up to Discord:PhotosPerUserPerMinute, one polite note, then silence;
/// other people and operators are not held up.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class PhotoRateLimitTests(TinyModelFixture model)
{
    [Fact]
    public async Task Flood_FromOnePerson_ThreeAnsweredOneNoteRestSkipped_OthersAndOperatorsAnswered()
    {
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?> { ["Discord:PhotosPerUserPerMinute"] = "3" });
        var flood = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 7; i++)
        {
            var attachment = h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, $"flood{i}.jpg", h.NewPhoto(), "image/jpeg", 80, 60);
            var message = h.Fake.UserMessage(DiscordHarness.WatchedChannel, "", [attachment], DiscordHarness.Guild, authorId: DiscordHarness.User);
            flood.Add(message);
            await h.Fake.DispatchAsync("MESSAGE_CREATE", message);
        }
        var other = h.Fake.UserMessage(DiscordHarness.WatchedChannel, "", [h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "other.jpg", h.NewPhoto(), "image/jpeg", 80, 60)],
            DiscordHarness.Guild, authorId: DiscordHarness.OtherUser); // someone else, meanwhile
        await h.Fake.DispatchAsync("MESSAGE_CREATE", other);
        await h.ReplyToAsync(other);
        await DiscordHarness.WaitUntilAsync(() => flood.Sum(m => h.RepliesTo(m).Count) >= 4, "three answers and the note");
        await Task.Delay(TimeSpan.FromSeconds(1)); // anything more would show now

        var replies = flood.Select(m => h.RepliesTo(m)).ToList();
        Assert.Equal(3, replies.Count(r => r.Count == 1 && r[0]["embeds"]!.AsArray().Count == 1));
        var note = Assert.Single(replies.SelectMany(r => r), r => ((string?)r["content"] ?? "").StartsWith("🛑", StringComparison.Ordinal));
        Assert.Equal(ReplyFormatter.SlowDown(3), (string)note["content"]!);
        Assert.Equal(4, replies.Sum(r => r.Count)); // the other three: nothing
    }

    [Fact]
    public void Limit_SlidingMinute_WarnsOncePerMinuteAndFreesUp()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limit = new PhotoRateLimit(time);

        var first = Enumerable.Range(0, 5).Select(_ => limit.Take("u", 2)).ToList();
        time.Advance(TimeSpan.FromSeconds(61));
        var later = Enumerable.Range(0, 4).Select(_ => limit.Take("u", 2)).ToList();

        Assert.Equal([PhotoRateLimit.Verdict.Answer, PhotoRateLimit.Verdict.Answer, PhotoRateLimit.Verdict.Warn, PhotoRateLimit.Verdict.Skip, PhotoRateLimit.Verdict.Skip], first);
        Assert.Equal([PhotoRateLimit.Verdict.Answer, PhotoRateLimit.Verdict.Answer, PhotoRateLimit.Verdict.Warn, PhotoRateLimit.Verdict.Skip], later);
        Assert.Equal(PhotoRateLimit.Verdict.Answer, limit.Take("someone else", 2));
        Assert.Equal(PhotoRateLimit.Verdict.Answer, limit.Take("u", 0)); // 0: no limit
    }
}
