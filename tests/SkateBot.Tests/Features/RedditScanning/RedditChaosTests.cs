using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Tests.Features.RedditScanning;

/// <summary>
/// The scanner as <c>serve</c> runs it (its own poll loop) while the fake Reddit misbehaves at random (seeded): 429 with
/// JSON, HTML or an empty body, 5xx, hung responses past the request timeout, truncated JSON with status 200, tokens
/// revoked mid-scan and short-lived tokens, under a tight request budget. Posts keep arriving throughout; in the end every
/// one is recorded, every image was downloaded and classified once, the budget was never exceeded, the host never
/// stopped, and the failures were logged as transient poll failures.
/// </summary>
[Collection(RedditScanningCollection.Name)]
public sealed class RedditChaosTests(TinyModelFixture model)
{
    [Fact]
    public async Task Serve_RandomRedditFaults_NoPostTwiceNoneMissedBudgetKept()
    {
        // 30 requests per 10 s window, tokens that live 4 s: the limiter and the refresh both matter in a 30 s run.
        await using var h = await ScanHarness.StartAsync(model, new FakeRedditOptions
        {
            RateLimitBudget = 30, RateLimitWindow = TimeSpan.FromSeconds(10), TokenLifetime = TimeSpan.FromSeconds(4),
        }, withDiscord: false, "rollerblading", "inlineskating");
        h.Settings["Reddit:PollInterval"] = "00:00:01"; // the shortest allowed
        h.Settings["Reddit:RequestTimeout"] = "00:00:01";
        h.Settings["Reddit:InitialBackoff"] = "00:00:00.050";
        h.Settings["Reddit:MaxBackoff"] = "00:00:00.300";
        h.Settings["Reddit:MaxRetries"] = "2";
        var logs = new ListLoggerProvider();
        await h.StartBotAsync(start: true, s => s.AddLogging(l => l.AddProvider(logs)));

        var random = new Random(1201);
        var posts = new List<(string Name, Uri Url, string Sha)>();
        var faults = 0;
        var until = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (TimeProvider.System.GetUtcNow() < until)
        {
            for (var i = random.Next(0, 3); i > 0; i--)
            {
                var image = h.AddImage();
                posts.Add((h.Reddit.AddPost(FakeRedditPost.Image(random.Next(2) == 0 ? "rollerblading" : "inlineskating", image.Url)), image.Url, image.Sha));
            }
            // A run of one to three faults: three in a row outlast the client's two retries and fail that poll.
            for (var i = random.Next(0, 4); i > 0; i--, faults++)
            {
                switch (random.Next(8))
                {
                    case 0: h.Reddit.ScriptApi(FakeRedditResponse.Text(429, "{\"message\": \"Too Many Requests\", \"error\": 429}", "application/json", ("Retry-After", "1")), "/r/"); break;
                    case 1: h.Reddit.ScriptApi(FakeRedditResponse.TooManyRequestsHtml(1), "/r/"); break;
                    case 2: h.Reddit.ScriptApi(FakeRedditResponse.TooManyRequestsEmpty(), "/r/"); break;
                    case 3: h.Reddit.ScriptApi(FakeRedditResponse.ServiceUnavailable(), "/r/"); break;
                    case 4: h.Reddit.ScriptApi(FakeRedditResponse.Text(500, "<html>oops</html>", "text/html"), "/r/"); break;
                    case 5: h.Reddit.ScriptApi(FakeRedditResponse.Text(200, "{}", "application/json") with { Delay = TimeSpan.FromSeconds(3) }, "/r/"); break;
                    case 6: h.Reddit.ScriptApi(FakeRedditResponse.Text(200, "{\"kind\": \"Listing\", \"data\": {\"after\": null, \"children\": [{\"kind\": \"t3\", \"da", "application/json"), "/r/"); break;
                    default: h.Reddit.ExpireTokens(); break;
                }
            }
            await Task.Delay(random.Next(800, 2000)); // about a poll or two: the scripted faults are used up, not queued for minutes
        }

        var lifetime = h.Bot!.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await WaitUntilAsync(() => posts.All(p => h.Db.Posts.Exists("reddit:" + p.Name)) || lifetime.ApplicationStopping.IsCancellationRequested,
                TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{posts.Count(p => h.Db.Posts.Exists("reddit:" + p.Name))} of {posts.Count} posts recorded after 90 s; last log lines: "
                        + string.Join(" | ", logs.Lines.TakeLast(15).Select(l => l.Message)));
        }

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the scanner stopped the host: " + string.Join(" | ", logs.Lines.Select(l => l.Message)));
        Assert.True(posts.Count >= 15 && faults >= 15, $"too little happened: {posts.Count} posts, {faults} faults");
        Assert.All(posts, p => Assert.True(h.Db.Posts.Exists("reddit:" + p.Name), $"post {p.Name} missed"));
        Assert.All(posts, p => Assert.Equal(1, h.Downloads(p.Url)));
        Assert.All(posts, p => Assert.Single(h.Db.Predictions.ForImage(p.Sha)));
        Assert.Equal(0, h.Reddit.RateLimitViolations);
        Assert.Contains(logs.Lines, l => l.Message.StartsWith("Reddit poll failed (", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline) throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(50);
        }
    }
}
