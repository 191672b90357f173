using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Features;
using SkateBot.Features.RedditScanning;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Tests.Features.RedditScanning;

/// <summary>Wiring and the background loop as <c>serve</c> runs them.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class RedditScanningHostTests(TinyModelFixture model)
{
    [Fact]
    public void AddRedditScanning_WithoutClientId_AddsNothing()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Reddit:ClientId"] = "" }).Build();

        services.AddRedditScanning(configuration);

        Assert.Empty(services);
    }

    [Theory]
    [InlineData("python-requests/2.31.0")]
    [InlineData("")]
    public async Task Start_GenericOrMissingUserAgent_IsRefusedNamingRedditUserAgent(string userAgent)
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:UserAgent"] = userAgent;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => h.StartBotAsync(start: true));

        Assert.Contains("Reddit:UserAgent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CommentingWithoutUserLogin_IsRefused()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:CommentingEnabled"] = "true";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => h.StartBotAsync(start: true));

        Assert.Contains("Reddit:CommentingEnabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Running_ScansAtStartAndAgainEachPollInterval()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:PollInterval"] = "00:00:01";
        var first = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        await h.StartBotAsync(start: true);

        await WaitUntilAsync(() => h.Db.Posts.Exists("reddit:" + first));
        var second = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        await WaitUntilAsync(() => h.Db.Posts.Exists("reddit:" + second));

        Assert.False(h.Bot!.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Serve_TransientRedditOutage_IsLoggedAndTheNextPollRecovers()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:PollInterval"] = "00:00:01";
        h.Settings["Reddit:MaxRetries"] = "0"; // the client's own retries are tested in SkateBot.Reddit.Tests
        h.Reddit.ScriptApi(FakeRedditResponse.ServiceUnavailable(), "/r/");
        var name = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", h.AddImage().Url));
        var logs = new ListLoggerProvider();

        await h.StartBotAsync(start: true, s => s.AddLogging(l => l.AddProvider(logs)));

        await WaitUntilAsync(() => h.Db.Posts.Exists("reddit:" + name));
        Assert.Contains(logs.Lines, l => l.Message.StartsWith("Reddit poll failed (RedditApiException", StringComparison.Ordinal));
        Assert.False(h.Bot!.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Serve_WrongClientSecret_StopsTheHostWithANonZeroExitCode()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:ClientSecret"] = "not-the-secret";
        await h.StartBotAsync(start: true);
        var stopping = h.Bot!.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        await WaitUntilAsync(() => stopping.IsCancellationRequested);

        Assert.Equal(RedditScanner.FatalExitCode, h.Bot.Services.GetRequiredService<SkateBot.Features.ExitCode>().Value);
        Assert.Equal(0, Environment.ExitCode); // the process-wide code is left alone
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline) throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(20);
        }
    }
}
