using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Discord;
using SkateBot.Features.RedditScanning;
using SkateBot.Sandbox.Discord;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Tests.Features.RedditScanning;

/// <summary>Scanner → review queue → fake Discord → reactions become labels; feed channel; opt-in commenting.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class RedditScanningReviewTests(TinyModelFixture model)
{
    private const string Reviewer = "300000000000000009";

    [Fact]
    public async Task ScanOnce_UncertainPrediction_IsPostedForReviewAndAReactionThereBecomesALabel()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true);
        h.Settings["Reddit:UncertainBelowConfidence"] = "1.01"; // everything is uncertain
        var photo = h.AddImage();
        var name = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", photo.Url, "new wheels"));
        await h.StartBotAsync();

        await h.Scanner.ScanOnceAsync();

        var review = Assert.Single(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
        var embed = review["embeds"]![0]!;
        Assert.Equal("new wheels", (string?)embed["title"]);
        Assert.Equal(h.Db.Posts.Get("reddit:" + name)!.Permalink, (string?)embed["url"]);
        Assert.Equal("attachment://image.jpg", (string?)embed["image"]!["url"]);
        Assert.Contains(TinyModelFixture.Version, (string?)embed["description"], StringComparison.Ordinal);
        Assert.Equal("image.jpg", (string?)review["attachments"]![0]!["filename"]);
        var messageId = (string)review["id"]!;
        Assert.Equal(["1️⃣", "2️⃣"], h.Discord.BotReactions.Where(r => r.MessageId == messageId).Select(r => r.Emoji));

        var rest = h.Bot!.Services.GetRequiredService<DiscordRestClient>();
        var corrections = new CorrectionHandler(h.Db, rest, new ReactionVocabulary("✅", "❌"), Options.Create(new DiscordOptions()),
            NullLogger<CorrectionHandler>.Instance);
        var changed = await corrections.HandleAsync(new MessageReactionEvent
        {
            UserId = Reviewer, ChannelId = ScanHarness.ReviewChannel, MessageId = messageId, Emoji = new Emoji { Name = "2️⃣" },
        }, added: true, botUserId: h.Discord.Options.BotUserId);

        Assert.True(changed);
        var vote = Assert.Single(h.Db.Labels.VotesFor(photo.Sha));
        Assert.Equal((Reviewer, "inline_skates"), (vote.UserId, vote.ClassName));
    }

    [Fact]
    public async Task ScanOnce_DiscordDownWhenAPhotoIsUncertain_PostsItForReviewOnceDiscordIsBack()
    {
        // The review post used to be tried once and, with Discord down, never again: the photo was never reviewed.
        await using var h = await UncertainWithTwoAttemptsAsync();
        var photo = await PostPhotoAndStartBotAsync(h);
        for (var i = 0; i < 2; i++) h.Discord!.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.ServerError(503));

        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));
        Assert.Empty(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
        Assert.Equal(1, h.Db.Outbox.Count());

        await h.Scanner.ScanOnceAsync(); // Discord is back; Reddit has nothing new

        var review = Assert.Single(h.Discord.MessagesIn(ScanHarness.ReviewChannel));
        Assert.Equal("new wheels", (string?)review["embeds"]![0]!["title"]);
        var messageId = (string)review["id"]!;
        Assert.Equal(photo.Sha, h.Db.MessageLinks.Get("discord", ScanHarness.ReviewChannel, messageId)!.Items[0].ImageSha);
        Assert.Equal(["1️⃣", "2️⃣"], h.Discord.BotReactions.Where(r => r.MessageId == messageId).Select(r => r.Emoji));
        Assert.Equal(0, h.Db.Outbox.Count());
    }

    [Fact]
    public async Task ScanOnce_ReviewPostCreatedButTheAnswerLost_ThenARestart_PostsItOnceAndLinksIt()
    {
        // Discord created the message, but every answer the bot got was a gateway error; then the bot restarted.
        await using var h = await UncertainWithTwoAttemptsAsync();
        var photo = await PostPhotoAndStartBotAsync(h);
        for (var i = 0; i < 2; i++) h.Discord!.FailAfterHandling("POST", "/channels/*/messages", FakeResponse.ServerError(502));
        await h.Scanner.ScanOnceAsync();
        Assert.Single(h.Discord!.MessagesIn(ScanHarness.ReviewChannel)); // on Discord, unknown to the bot

        await h.StartBotAsync(); // a new process on the same data
        await h.Scanner.ScanOnceAsync();

        var review = Assert.Single(h.Discord.MessagesIn(ScanHarness.ReviewChannel));
        Assert.NotNull(h.Db.MessageLinks.Get("discord", ScanHarness.ReviewChannel, (string)review["id"]!));
        Assert.Equal(0, h.Db.Outbox.Count());
    }

    [Fact]
    public async Task ScanOnce_ReviewPostCreatedButTheAnswerLost_RetriedAfterDiscordForgotTheNonce_PostsItOnce()
    {
        // Discord remembers a nonce for a few minutes only; a retry after a longer outage used to post the photo twice.
        await using var h = await UncertainWithTwoAttemptsAsync();
        var photo = await PostPhotoAndStartBotAsync(h);
        for (var i = 0; i < 2; i++) h.Discord!.FailAfterHandling("POST", "/channels/*/messages", FakeResponse.ServerError(502));
        await h.Scanner.ScanOnceAsync();
        var created = Assert.Single(h.Discord!.MessagesIn(ScanHarness.ReviewChannel)); // on Discord, unknown to the bot
        h.Discord.AddMessage(h.Discord.UserMessage(ScanHarness.ReviewChannel, "someone talking"));
        h.Discord.ForgetNonces();

        await h.Scanner.ScanOnceAsync();

        Assert.Equal([(string)created["id"]!], h.Discord.MessagesIn(ScanHarness.ReviewChannel).Where(m => (string?)m["author"]!["id"] == h.Discord.Options.BotUserId).Select(m => (string)m["id"]!));
        Assert.Equal(photo.Sha, h.Db.MessageLinks.Get("discord", ScanHarness.ReviewChannel, (string)created["id"]!)!.Items[0].ImageSha);
        Assert.Equal(["1️⃣", "2️⃣"], h.Discord.BotReactions.Where(r => r.MessageId == (string)created["id"]!).Select(r => r.Emoji));
        Assert.Equal(0, h.Db.Outbox.Count());
    }

    [Fact]
    public async Task ScanOnce_RetryWithoutReadMessageHistory_StillPostsTheReview()
    {
        // The bot may post in the review channel without reading its history: the check for an earlier copy must not
        // keep the post from going out.
        await using var h = await UncertainWithTwoAttemptsAsync();
        var photo = await PostPhotoAndStartBotAsync(h);
        for (var i = 0; i < 2; i++) h.Discord!.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.ServerError(503));
        await h.Scanner.ScanOnceAsync();
        Assert.Empty(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
        h.Discord.EnqueueResponse("GET", "/channels/*/messages", FakeResponse.Error(403, 50001, "Missing Access"));

        await h.Scanner.ScanOnceAsync();

        Assert.Single(h.Discord.MessagesIn(ScanHarness.ReviewChannel));
        Assert.Single(h.Discord.RequestsTo("GET", "/channels/*/messages")); // it did look, and was refused
        Assert.Equal(0, h.Db.Outbox.Count());
    }

    /// <summary>One image post ("new wheels") in r/rollerblading, then the bot started; returns the photo.</summary>
    private static async Task<(Uri Url, string Sha)> PostPhotoAndStartBotAsync(ScanHarness h)
    {
        var photo = h.AddImage();
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", photo.Url, "new wheels"));
        await h.StartBotAsync();
        return photo;
    }

    /// <summary>Every photo uncertain; a Discord request given up after two attempts 10 ms apart.</summary>
    private async Task<ScanHarness> UncertainWithTwoAttemptsAsync()
    {
        var h = await ScanHarness.StartAsync(model, withDiscord: true);
        h.Settings["Reddit:UncertainBelowConfidence"] = "1.01";
        h.Settings["Discord:RestMaxAttempts"] = "2";
        h.Settings["Discord:RestServerErrorDelay"] = "00:00:00.010";
        return h;
    }

    [Fact]
    public async Task ScanOnce_ConfidentPrediction_GoesToTheFeedChannelNotToReview()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true);
        h.Settings["Reddit:UncertainBelowConfidence"] = "0";
        h.Settings["Reddit:UncertainBelowMargin"] = "0";
        h.Settings["Discord:FeedChannelId"] = ScanHarness.FeedChannel;
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        await h.StartBotAsync();

        await h.Scanner.ScanOnceAsync();

        Assert.Empty(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
        Assert.Single(h.Discord.MessagesIn(ScanHarness.FeedChannel));
    }

    [Fact]
    public async Task ScanOnce_ConfidentAnswerInANotInlineSubreddit_GoesToReviewSayingWhy()
    {
        // A model with an "other" class, so reviewers can answer "not an inline skate"; P(other) ≈ 1/3: a skate class named.
        using var withOther = TinyModelFixture.With(["aggressive_skates", "inline_skates", "other"], temperature: 1000);
        await using var h = await ScanHarness.StartAsync(withOther, withDiscord: true, "rollerblading");
        h.Settings["Reddit:NotInlineSubreddits:0"] = "rollerskating"; // scanned too, though not in Reddit:Subreddits
        h.Settings["Reddit:UncertainBelowConfidence"] = "0";
        h.Settings["Reddit:UncertainBelowMargin"] = "0";
        h.Settings["Discord:FeedChannelId"] = ScanHarness.FeedChannel;
        var quad = h.AddImage();
        h.Reddit.AddPost(FakeRedditPost.Image("rollerskating", quad.Url, "my new quads"));
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url, "my new inlines"));
        await h.StartBotAsync();

        await h.Scanner.ScanOnceAsync();

        var review = Assert.Single(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
        Assert.Equal("my new quads", (string?)review["embeds"]![0]!["title"]);
        Assert.Contains("Reddit:NotInlineSubreddits", (string?)review["embeds"]![0]!["footer"]!["text"], StringComparison.Ordinal);
        var feed = Assert.Single(h.Discord.MessagesIn(ScanHarness.FeedChannel));
        Assert.Equal("my new inlines", (string?)feed["embeds"]![0]!["title"]);
        Assert.Single(h.Db.Predictions.ForImage(quad.Sha));
        var reviewId = (string)review["id"]!;
        Assert.Equal(["1️⃣", "2️⃣", "3️⃣"], h.Discord.BotReactions.Where(r => r.MessageId == reviewId).Select(r => r.Emoji)); // 3️⃣: not an inline skate
    }

    [Fact]
    public async Task ScanOnce_NotInlineSubredditWithATwoClassModel_FollowsTheUsualRule()
    {
        // Without an "other" class reviewers could not say "not an inline skate", so a sure answer goes to the feed as anywhere.
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true, "rollerblading");
        h.Settings["Reddit:NotInlineSubreddits:0"] = "rollerskating";
        h.Settings["Reddit:UncertainBelowConfidence"] = "0";
        h.Settings["Reddit:UncertainBelowMargin"] = "0";
        h.Settings["Discord:FeedChannelId"] = ScanHarness.FeedChannel;
        h.Reddit.AddPost(FakeRedditPost.Image("rollerskating", h.AddImage().Url, "my new quads"));
        await h.StartBotAsync();

        await h.Scanner.ScanOnceAsync();

        Assert.Empty(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
        Assert.Contains("Reddit:NotInlineSubreddits", (string?)Assert.Single(h.Discord.MessagesIn(ScanHarness.FeedChannel))["embeds"]![0]!["footer"]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanOnce_UncertainWithoutDiscord_IsJustRecorded()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:UncertainBelowConfidence"] = "1.01";
        var photo = h.AddImage();
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", photo.Url));
        await h.StartBotAsync();

        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));

        Assert.Single(h.Db.Predictions.ForImage(photo.Sha));
    }

    [Fact]
    public async Task ScanOnce_CrosspostOfAReviewedPost_IsNotReviewedAgain()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true, "rollerblading", "inlineskating");
        h.Settings["Reddit:UncertainBelowConfidence"] = "1.01";
        var original = FakeRedditPost.Image("rollerblading", h.AddImage().Url);
        var originalName = h.Reddit.AddPost(original);
        await h.StartBotAsync();
        await h.Scanner.ScanOnceAsync();
        var crosspost = FakeRedditPost.Link("inlineskating", new Uri("https://www.reddit.com/r/rollerblading/"));
        crosspost["crosspost_parent"] = originalName;
        crosspost["crosspost_parent_list"] = new System.Text.Json.Nodes.JsonArray(original.DeepClone());
        h.Reddit.AddPost(crosspost);

        await h.Scanner.ScanOnceAsync();

        Assert.Single(h.Discord!.MessagesIn(ScanHarness.ReviewChannel));
    }

    [Fact]
    public async Task ScanOnce_CommentingEnabled_CommentsOnlyInListedSubredditsAndOncePerPost()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: false, "rollerblading", "inlineskating");
        h.Reddit.AddUser("skatebot_tests", "hunter2");
        h.Settings["Reddit:Username"] = "skatebot_tests";
        h.Settings["Reddit:Password"] = "hunter2";
        h.Settings["Reddit:CommentingEnabled"] = "true";
        h.Settings["Reddit:CommentSubreddits:0"] = "rollerblading";
        h.Settings["Reddit:UncertainBelowConfidence"] = "0";
        h.Settings["Reddit:UncertainBelowMargin"] = "0";
        var listed = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        h.Reddit.AddPost(FakeRedditPost.Image("inlineskating", h.AddImage().Url));
        await h.StartBotAsync();

        await h.Scanner.ScanOnceAsync();
        await h.StartBotAsync(); // restart: nothing is commented twice
        await h.Scanner.ScanOnceAsync();

        var comment = Assert.Single(h.Reddit.Comments);
        Assert.Equal(listed, comment.ThingId);
        Assert.Contains(TinyModelFixture.Version, comment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommentOnce_SamePostTwice_CommentsOnce()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Reddit.AddUser("skatebot_tests", "hunter2");
        h.Settings["Reddit:Username"] = "skatebot_tests";
        h.Settings["Reddit:Password"] = "hunter2";
        h.Settings["Reddit:CommentingEnabled"] = "true";
        h.Settings["Reddit:CommentSubreddits:0"] = "rollerblading";
        var name = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        await h.StartBotAsync();
        var commenter = h.Bot!.Services.GetRequiredService<RedditCommenter>();
        var post = new SkateBot.Reddit.Post { Id = name[3..], Name = name, Subreddit = "rollerblading" };
        var result = new SkateBot.Vision.Inference.ClassificationResult("inline_skates", 0.9,
            new Dictionary<string, double> { ["aggressive_skates"] = 0.1, ["inline_skates"] = 0.9 }, "v1");

        Assert.NotNull(await commenter.CommentOnceAsync(post, result, CancellationToken.None));
        Assert.Null(await commenter.CommentOnceAsync(post, result, CancellationToken.None));

        Assert.Single(h.Reddit.Comments);
    }

    [Fact]
    public async Task ScanOnce_CommentingEnabledButPredictionUncertain_DoesNotComment()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Reddit.AddUser("skatebot_tests", "hunter2");
        h.Settings["Reddit:Username"] = "skatebot_tests";
        h.Settings["Reddit:Password"] = "hunter2";
        h.Settings["Reddit:CommentingEnabled"] = "true";
        h.Settings["Reddit:CommentSubreddits:0"] = "rollerblading";
        h.Settings["Reddit:UncertainBelowConfidence"] = "1.01";
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        await h.StartBotAsync();

        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));

        Assert.Empty(h.Reddit.Comments);
    }
}
