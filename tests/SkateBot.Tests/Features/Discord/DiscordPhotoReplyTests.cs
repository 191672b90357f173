using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using SkateBot.Sandbox.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>
/// Photos posted in Discord, end to end through the real host. Messages are handled concurrently, but the guards that
/// drop a message (channel, duplicate, no image) run before the handler's first await, i.e. before the bot reads the next
/// event: so "no reply" is proven by a later message's reply having arrived, never by a sleep.
/// </summary>
[Collection(RedditScanningCollection.Name)]
public sealed partial class DiscordPhotoReplyTests(TinyModelFixture model)
{
    [Fact]
    public async Task Photo_InWatchedChannel_RepliesToItWithAnEmbedNoMentionsAndBothReactions()
    {
        await using var h = await DiscordHarness.StartAsync(model);

        var message = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        var reply = await h.ReplyToAsync(message);

        var request = h.Fake.RequestsTo("POST", $"/channels/{DiscordHarness.WatchedChannel}/messages").Single();
        Assert.Equal((string)message["id"]!, request.Json.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.Equal(0, request.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var embed = (JsonObject)reply["embeds"]![0]!;
        Assert.Contains((string)embed["title"]!, (string[])["Aggressive skates", "Inline skates"]);
        Assert.Matches(Confidence(), (string)embed["description"]!);
        Assert.Contains($"model `{TinyModelFixture.Version}`", (string)embed["description"]!, StringComparison.Ordinal);
        Assert.Equal(["aggressive skates", "inline skates"], embed["fields"]!.AsArray().Select(f => (string)f!["name"]!).Order());
        Assert.Equal(["✅", "❌"], h.Fake.BotReactions.Where(r => r.MessageId == (string)reply["id"]!).Select(r => r.Emoji));
    }

    [Fact]
    public async Task Photos_PostedWhileTheBotWasStopped_AreAnsweredWhenItStartsAgain_OnceAndOnlyRecentOnes()
    {
        // Discord never delivers a new gateway session the messages sent before it: a restart left these unanswered.
        await using var h = await DiscordHarness.StartAsync(model);
        var answered = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.ReplyToAsync(answered);
        // One a version before answers were marked finished had answered (its mark: discord:message:{id}).
        var byAnEarlierVersion = h.Fake.UserMessage(DiscordHarness.WatchedChannel, "answered long ago",
            [h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "earlier.jpg", h.NewPhoto(), "image/jpeg", 80, 60)], DiscordHarness.Guild);
        h.Db.ProcessedEvents.TryMarkProcessed($"discord:message:{(string)byAnEarlierVersion["id"]!}");

        await h.StopBotAsync();
        h.Fake.AddMessage(byAnEarlierVersion);
        var missed = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto()); // stays with the old session
        var old = h.Fake.UserMessage(DiscordHarness.WatchedChannel, "two hours ago",
            [h.Fake.CreateAttachment(DiscordHarness.WatchedChannel, "old.jpg", h.NewPhoto(), "image/jpeg", 80, 60)], DiscordHarness.Guild);
        old["timestamp"] = (TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(2)).ToString("O");
        await h.Fake.DispatchAsync("MESSAGE_CREATE", old);
        var unwatched = await h.PostAsync(DiscordHarness.UnwatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.StartBotAgainAsync();

        await h.ReplyToAsync(missed);
        await DiscordHarness.WaitUntilAsync(() => h.Logs.Entries.Any(e => e.Message.Contains("Answered 1 message(s) with photos posted while", StringComparison.Ordinal)),
            "the catch-up's summary");
        Assert.Single(h.RepliesTo(answered));
        Assert.Empty(h.RepliesTo(old)); // older than Discord:AnswerMissedPhotosWithin (1 hour)
        Assert.Empty(h.RepliesTo(unwatched));
        Assert.Empty(h.RepliesTo(byAnEarlierVersion));
        Assert.Single(h.RepliesTo(missed));
    }

    [Fact]
    public async Task DirectMessagePhotos_PostedWhileTheBotWasStopped_AreAnsweredInChannelsItKnows()
    {
        // The catch-up read only watched channels, so a photo someone sent the bot directly during a restart went
        // unanswered. A DM channel the bot has answered photos in before is read too; one it never saw cannot be.
        const string NewDmChannel = "600000000000000077";
        await using var h = await DiscordHarness.StartAsync(model);
        await h.ReplyToAsync(await h.PostAsync(DiscordHarness.DmChannel, guildId: null, h.NewPhoto()));

        await h.StopBotAsync();
        var missed = await h.PostAsync(DiscordHarness.DmChannel, guildId: null, h.NewPhoto()); // stays with the old session
        var unknown = await h.PostAsync(NewDmChannel, guildId: null, h.NewPhoto());
        await h.StartBotAgainAsync();

        await h.ReplyToAsync(missed);
        await DiscordHarness.WaitUntilAsync(() => h.Logs.Entries.Any(e => e.Message.Contains("Answered 1 message(s) with photos posted while", StringComparison.Ordinal)),
            "the catch-up's summary");
        Assert.Single(h.RepliesTo(missed));
        Assert.Empty(h.RepliesTo(unknown));
    }

    [Fact]
    public async Task Stopping_WhileTheCatchUpAnswersAPhoto_FinishesThatAnswer()
    {
        // The catch-up answered on the stopping token, so a SIGTERM during its download abandoned the photo (marked taken
        // up, never answered). It can even take a photo the gateway delivers meanwhile; live photos finish on shutdown.
        await using var h = await DiscordHarness.StartAsync(model, fakeOptions: new FakeDiscordOptions { CdnDelay = TimeSpan.FromSeconds(2) });
        await h.StopBotAsync();
        var missed = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.StartBotAgainAsync();
        await DiscordHarness.WaitUntilAsync(() => h.Fake.CdnRequests > 0, "the catch-up's download");

        await h.StopBotAsync();

        Assert.Single(h.RepliesTo(missed));
    }

    [Fact]
    public async Task Photo_WhoseReplyDiscordPostedButTheBotNeverLearnt_IsAnsweredOnceAfterARestart_WithTheReplyLinked()
    {
        // Discord created the reply, but every answer the bot got was a gateway error (as when the bot dies right after
        // the POST): the photo counted as answered, the reply was never linked, and its votes were never counted.
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?>
        {
            ["Discord:RestMaxAttempts"] = "2",
            ["Discord:RestServerErrorDelay"] = "00:00:00.010",
        });
        for (var i = 0; i < 2; i++) h.Fake.FailAfterHandling("POST", "/channels/*/messages", FakeResponse.ServerError(502));
        var message = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await DiscordHarness.WaitUntilAsync(() => h.Logs.Entries.Any(e => e.Message.Contains("DiscordApiException", StringComparison.Ordinal)),
            "the failed reply");
        var reply = Assert.Single(h.RepliesTo(message)); // on Discord, unknown to the bot
        Assert.Null(h.Db.MessageLinks.Get("discord", DiscordHarness.WatchedChannel, (string)reply["id"]!));

        await h.StopBotAsync();
        await h.StartBotAgainAsync();

        await DiscordHarness.WaitUntilAsync(() => h.Db.MessageLinks.Get("discord", DiscordHarness.WatchedChannel, (string)reply["id"]!) is not null
            && h.Fake.BotReactions.Count(r => r.MessageId == (string)reply["id"]!) == 2, "the reply linked and offered after the restart");
        Assert.Single(h.RepliesTo(message));
    }

    [Fact]
    public async Task Photo_DeliveredTwice_GetsOneReply()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var message = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.Fake.DispatchAsync("MESSAGE_CREATE", message); // as a resume replay can deliver it

        await h.ReplyToAsync(message);
        var later = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.ReplyToAsync(later);

        Assert.Single(h.RepliesTo(message));
    }

    [Fact]
    public async Task Photo_InUnwatchedChannel_IsIgnoredButADirectMessageIsAnswered()
    {
        await using var h = await DiscordHarness.StartAsync(model);

        await h.PostAsync(DiscordHarness.UnwatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        var direct = await h.PostAsync(DiscordHarness.DmChannel, guildId: null, h.NewPhoto());
        await h.ReplyToAsync(direct);

        Assert.Empty(h.Fake.RequestsTo("POST", $"/channels/{DiscordHarness.UnwatchedChannel}/messages"));
    }

    [Fact]
    public async Task Attachment_NotAnImage_IsIgnoredSilently()
    {
        await using var h = await DiscordHarness.StartAsync(model);

        var pdf = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, "%PDF-1.7 not a photo"u8.ToArray(), "skates.pdf", "application/pdf");
        var photo = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.ReplyToAsync(photo);

        Assert.Empty(h.RepliesTo(pdf));
        Assert.Single(h.Fake.RequestsTo("POST", $"/channels/{DiscordHarness.WatchedChannel}/messages"));
    }

    [Fact]
    public async Task Image_Unreadable_GetsAShortPoliteReplyAndTheBotCarriesOn()
    {
        await using var h = await DiscordHarness.StartAsync(model);

        var garbage = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, "\x01\x02 definitely not a png"u8.ToArray(), "broken.png", "image/png");
        var problem = await h.ReplyToAsync(garbage, reactions: 0);
        var photo = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());
        await h.ReplyToAsync(photo);

        var text = (string)problem["content"]!;
        Assert.StartsWith("Sorry, I couldn't look at **broken.png**: ", text, StringComparison.Ordinal);
        Assert.True(text.Length < 300, text);
        Assert.Empty(problem["embeds"]!.AsArray());
        Assert.DoesNotContain(h.Fake.BotReactions, r => r.MessageId == (string)problem["id"]!);
        Assert.False(h.Stopping.IsCancellationRequested);
    }

    [Theory]
    [InlineData("MESSAGE_CREATE")]
    [InlineData("MESSAGE_REACTION_ADD")]
    [InlineData("INTERACTION_CREATE")]
    public async Task Event_Undecodable_IsSkippedAndLaterPhotosAreStillAnswered(string eventName)
    {
        await using var h = await DiscordHarness.StartAsync(model);

        // A payload whose shape changed under us: strings and numbers where objects belong.
        await h.Fake.DispatchAsync(eventName, new JsonObject { ["id"] = h.Fake.NextId(), ["channel_id"] = DiscordHarness.WatchedChannel, ["author"] = "x", ["emoji"] = "✅", ["data"] = 3 });
        var photo = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());

        await h.ReplyToAsync(photo);
        Assert.Contains(h.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains(eventName switch
        {
            "MESSAGE_CREATE" => "message", "MESSAGE_REACTION_ADD" => "reaction", _ => "interaction",
        }, StringComparison.Ordinal));
        Assert.False(h.Stopping.IsCancellationRequested);
    }

    [GeneratedRegex(@"^\*\*\d{1,3}(\.\d+)?\s?%\*\* sure")]
    private static partial Regex Confidence();
}
