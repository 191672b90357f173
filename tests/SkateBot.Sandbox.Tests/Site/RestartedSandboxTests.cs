using System.Net.Http.Headers;
using SkateBot.Sandbox.Site;
using SkateBot.Sandbox.Tests.Support;
using SkateBot.Testing.Paths;

namespace SkateBot.Sandbox.Tests.Site;

/// <summary>
/// <c>sandbox</c> keeps its data folder (default data/sandbox/) between starts, and its stand-ins start afresh each time.
/// Their ids must not repeat what an earlier start handed out: the bot remembers the Discord messages and Reddit posts
/// it has taken up by id, so a repeated id made it skip the new photo without a word.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RestartedSandboxTests(TinyModel model)
{
    [Fact]
    public async Task Restarted_OnTheSameDataFolder_AnswersNewDiscordPhotosAndRedditPosts()
    {
        using var data = new TempDirectory("skatebot-sandbox-restart");
        model.InstallIn(data.Path);
        // A new photo for each post: the scanner sends a photo the bot has already answered (a repost, or one posted in
        // #skate-photos first) to neither channel.
        var photos = Directory.EnumerateFiles(Path.Combine(RepoPaths.SampleData, "inline_skates")).Order(StringComparer.Ordinal)
            .Take(4).Select(File.ReadAllBytes).ToList();

        string firstId;
        await using (var first = await SandboxRun.StartAsync(data.Path))
        {
            firstId = await PostAndAwaitAnswersAsync(first, photos[0], photos[1], "before the restart");
            Assert.Equal(0, await first.StopAsync());
        }

        await using var second = await SandboxRun.StartAsync(data.Path);
        var secondId = await PostAndAwaitAnswersAsync(second, photos[2], photos[3], "after the restart");

        Assert.True(BigInteger(secondId) > BigInteger(firstId), $"message id {secondId} after the restart is not above {firstId} before it");
        Assert.Equal(0, await second.StopAsync());
    }

    /// <summary>Posts one photo in #skate-photos and another as a Reddit post; waits for the reply and the scanner's post.</summary>
    private static async Task<string> PostAndAwaitAnswersAsync(SandboxRun sandbox, byte[] discordPhoto, byte[] redditPhoto, string title)
    {
        using var client = new SandboxClient(sandbox.Url);
        var posted = await client.PostPhotoAsync(SandboxWorld.PhotosChannelId, discordPhoto);
        await SubmitToRedditAsync(sandbox.Url, title, redditPhoto);
        var deadline = TimeProvider.System.GetUtcNow() + SandboxRun.Patience;
        while (true)
        {
            var replied = (await client.MessagesAsync(SandboxWorld.PhotosChannelId))
                .Any(m => (string?)m["message_reference"]?["message_id"] == (string)posted["id"]!);
            var scanned = (await client.MessagesAsync(SandboxWorld.FeedChannelId)).Concat(await client.MessagesAsync(SandboxWorld.ReviewChannelId))
                .Any(m => (string?)m["embeds"]?[0]?["title"] == title);
            if (replied && scanned) return (string)posted["id"]!;
            Assert.True(TimeProvider.System.GetUtcNow() < deadline,
                $"{title}: photo answered {replied}, Reddit post scanned {scanned}; " + sandbox.Error);
            await Task.Delay(200);
        }
    }

    private static async Task SubmitToRedditAsync(string url, string title, byte[] photo)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("rollerblading"), "subreddit");
        form.Add(new StringContent(title), "title");
        var file = new ByteArrayContent(photo);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "skate.jpg");
        using var response = await http.PostAsync("reddit/sandbox/submit", form);
        response.EnsureSuccessStatusCode();
    }

    private static System.Numerics.BigInteger BigInteger(string id) => System.Numerics.BigInteger.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
}
