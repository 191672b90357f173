using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.ReviewQueue;
using SkateBot.Storage;
using SkateBot.Sandbox.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.ReviewQueue;

/// <summary>The review queue on its own, against the fake Discord, with an image classified by the real pipeline.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class ReviewPublisherTests(TinyModelFixture model)
{
    private static readonly ReviewSource Source = new("Which skates?", "https://www.reddit.com/r/rollerblading/comments/abc/x/", "r/rollerblading · t3_abc");

    [Fact]
    public async Task PostAsync_ReviewChannelSet_PostsImageLinkPredictionLegendAndOneReactionPerClass()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true);
        await h.StartBotAsync();
        var classified = await ClassifyAsync(h);

        var messageId = await Publisher(h).PostAsync(classified, Source);

        var request = h.Discord!.RequestsTo("POST", $"/channels/{ScanHarness.ReviewChannel}/messages").Single();
        Assert.True(request.IsMultipart);
        var file = Assert.Single(request.Files);
        Assert.Equal(("image.jpg", "image/jpeg"), (file.FileName, file.ContentType));
        Assert.Equal(h.Db.Images.ReadBytes(classified.Sha), file.Content);
        var embed = request.Json.GetProperty("embeds")[0];
        Assert.Equal(Source.Permalink, embed.GetProperty("url").GetString());
        Assert.Equal("attachment://image.jpg", embed.GetProperty("image").GetProperty("url").GetString());
        var description = embed.GetProperty("description").GetString()!;
        Assert.Contains(classified.Result.Label.Replace('_', ' '), description, StringComparison.Ordinal);
        Assert.Contains("1️⃣ aggressive skates  2️⃣ inline skates", description, StringComparison.Ordinal);
        Assert.Contains("`" + TinyModelFixture.Version + "`", description, StringComparison.Ordinal);
        Assert.Equal(["1️⃣", "2️⃣"], h.Discord.BotReactions.Where(r => r.MessageId == messageId).Select(r => r.Emoji));
        var item = Assert.Single(h.Db.MessageLinks.Get("discord", ScanHarness.ReviewChannel, messageId!)!.Items);
        Assert.Equal((classified.Sha, classified.Result.Label, TinyModelFixture.Version), (item.ImageSha, item.PredictedClass, item.ModelVersion));
        Assert.Equal(TinyModelFixture.Classes, item.Classes);
    }

    [Fact]
    public async Task PostAsync_ReactionRefused_MessageIsAlreadyLinkedToTheImage()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true);
        await h.StartBotAsync();
        var classified = await ClassifyAsync(h);
        h.Discord!.EnqueueResponse("PUT", "/channels/*/messages/*/reactions/*/@me", FakeResponse.Error(403, 50013, "Missing Permissions"));

        await Assert.ThrowsAsync<DiscordApiException>(() => Publisher(h).PostAsync(classified, Source));

        var message = Assert.Single(h.Discord.MessagesIn(ScanHarness.ReviewChannel));
        Assert.NotNull(h.Db.MessageLinks.Get("discord", ScanHarness.ReviewChannel, (string)message["id"]!));
    }

    [Fact]
    public async Task PostAsync_NoDiscordClient_PostsNothing()
    {
        // Without Discord:Token a review channel is refused at start (config check names it); a feed channel is not.
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Discord:FeedChannelId"] = ScanHarness.FeedChannel;
        await h.StartBotAsync();
        var classified = await ClassifyAsync(h);
        var publisher = Publisher(h);

        Assert.False(publisher.ReviewsEnabled);
        Assert.Null(await publisher.PostAsync(classified, Source));
        Assert.Null(await publisher.PostToFeedAsync(classified, Source));
    }

    [Fact]
    public async Task PostToFeedAsync_FeedChannelUnset_PostsNothing()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: true);
        await h.StartBotAsync();
        var classified = await ClassifyAsync(h);

        Assert.Null(await Publisher(h).PostToFeedAsync(classified, Source));

        Assert.Empty(h.Discord!.RequestsTo("POST", "/channels/*/messages"));
    }

    [Fact]
    public async Task Start_ReviewChannelIdNotASnowflake_IsRefusedNamingTheKey()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Discord:ReviewChannelId"] = "#review";

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => h.StartBotAsync(start: true));

        Assert.Contains("Discord:ReviewChannelId", error.Message, StringComparison.Ordinal);
    }

    private static ReviewPublisher Publisher(ScanHarness h) => h.Bot!.Services.GetRequiredService<ReviewPublisher>();

    private static async Task<ClassifiedImage> ClassifyAsync(ScanHarness h)
    {
        using var image = new Image<Rgb24>(64, 48, new Rgb24(200, 40, 90));
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        var origin = new ImageOrigin("reddit", "t3_abc", Source.Permalink, TimeProvider.System.GetUtcNow());
        return await h.Bot!.Services.GetRequiredService<ClassificationPipeline>()
            .ClassifyAsync(new ImageSubmission(buffer.ToArray(), "photo.jpg", origin), "test");
    }
}
