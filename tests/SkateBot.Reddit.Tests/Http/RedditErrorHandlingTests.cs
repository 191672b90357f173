using System.Net;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Reddit.Tests.Http;

public sealed class RedditErrorHandlingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetNewAsync_429HtmlWithRetryAfter_WaitsThatLongThenRetries(bool useRecording)
    {
        var response = useRecording && Fixtures.CorpusDirectory is not null
            ? FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("08")) // HTML body, Retry-After: 4
            : FakeRedditResponse.TooManyRequestsHtml(4);
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(response);
        await h.Client.GetNewAsync("skates", null, null, 5);
        var api = h.ApiRequests.ToList();
        Assert.Equal([429, 200], api.Select(r => r.Status));
        RedditHarness.AssertGap(api[0], api[1], TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task GetNewAsync_429EmptyBodyNoHeaders_WaitsAndRetries()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.TooManyRequestsEmpty() with { Headers = [new("x-ratelimit-remaining", "0.0"), new("x-ratelimit-used", "1000"), new("x-ratelimit-reset", "3")] });
        await h.Client.GetNewAsync("skates", null, null, 5);
        var api = h.ApiRequests.ToList();
        Assert.Equal([429, 200], api.Select(r => r.Status));
        RedditHarness.AssertGap(api[0], api[1], TimeSpan.FromSeconds(3)); // the announced reset
    }

    [SkippableFact]
    public async Task GetNewAsync_Recorded503EmptyBody_BacksOffAndRetries()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("15")));
        h.Server.ScriptApi(FakeRedditResponse.ServiceUnavailable());
        await h.Client.GetNewAsync("skates", null, null, 5);
        var api = h.ApiRequests.ToList();
        Assert.Equal([503, 503, 200], api.Select(r => r.Status));
        RedditHarness.AssertGap(api[0], api[1], h.Options.InitialBackoff);
        RedditHarness.AssertGap(api[1], api[2], 2 * h.Options.InitialBackoff); // back-off grows
    }

    [Fact]
    public async Task GetNewAsync_503Persisting_GivesUpAfterMaxRetries()
    {
        await using var h = await RedditHarness.StartAsync(client: o => o.MaxRetries = 2);
        for (var i = 0; i < 5; i++)
            h.Server.ScriptApi(FakeRedditResponse.ServiceUnavailable());
        var ex = await Assert.ThrowsAsync<RedditApiException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(3, h.ApiRequests.Count());
    }

    [Fact]
    public async Task GetNewAsync_RequestTimesOut_RetriesAndSucceeds()
    {
        await using var h = await RedditHarness.StartAsync();
        var options = new RedditClientOptions
        {
            ClientId = h.Options.ClientId, ClientSecret = h.Options.ClientSecret, UserAgent = h.Options.UserAgent,
            AuthBaseUrl = h.Options.AuthBaseUrl, ApiBaseUrl = h.Options.ApiBaseUrl, RequestTimeout = TimeSpan.FromSeconds(5),
        };
        using var hanging = new HangFirstApiCallHandler(h.Options.ApiBaseUrl);
        using var http = new HttpClient(hanging);
        var client = new RedditApiClient(http, options, h.Time);
        h.Server.AddPost(FakeRedditPost.Self("skates"));
        var listing = await client.GetNewAsync("skates", null, null, 5);
        Assert.Single(listing.Children);
        Assert.Equal(2, hanging.ApiCalls);
    }

    [SkippableFact]
    public async Task GetNewAsync_RecordedQuarantined403_ThrowsSubredditForbidden()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.SetSubredditUnavailable("tiananmenaquarefalse", FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("13")));
        var ex = await Assert.ThrowsAsync<RedditSubredditForbiddenException>(() => h.Client.GetNewAsync("tiananmenaquarefalse", null, null, 100));
        Assert.Equal(("tiananmenaquarefalse", "quarantined"), (ex.Subreddit, ex.Reason));
    }

    [Fact]
    public async Task GetNewAsync_CombinedWithForbiddenOnes_ProbesAndNamesExactlyThose()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.SetSubredditUnavailable("secretskates", FakeRedditResponse.SubredditForbidden("private"));
        h.Server.SetSubredditUnavailable("bannedskates", FakeRedditResponse.SubredditNotFound("banned"));
        var ex = await Assert.ThrowsAsync<RedditSubredditForbiddenException>(
            () => h.Client.GetNewAsync(["rollerblading", "secretskates", "inlineskating", "bannedskates"], null, null, 100));
        Assert.Equal([new ForbiddenSubreddit("secretskates", "private"), new ForbiddenSubreddit("bannedskates", "banned")], ex.Subreddits);
        Assert.Equal(
            ["/r/rollerblading+secretskates+inlineskating+bannedskates/new", "/r/rollerblading/new", "/r/secretskates/new", "/r/inlineskating/new", "/r/bannedskates/new"],
            h.ApiRequests.Select(r => r.Path));
        Assert.All(h.ApiRequests.Skip(1), r => Assert.Equal("1", r.Query["limit"]));

        // The caller drops them and the combined request works.
        var listing = await h.Client.GetNewAsync(["rollerblading", "inlineskating"], null, null, 100);
        Assert.NotNull(listing);
    }

    [SkippableFact]
    public async Task GetNewAsync_RecordedInsufficientScope403_ThrowsAuthException()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("11")));
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal("insufficient_scope", ex.Error);
    }

    [SkippableFact]
    public async Task GetNewAsync_Recorded403WithFloatRateHeaders_ForbiddenAndBudgetRead()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("12"))); // remaining "599.0", reset 82
        var ex = await Assert.ThrowsAsync<RedditSubredditForbiddenException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal("forbidden", ex.Reason);
        Assert.Equal(599, h.Client.RateLimiter.Remaining);
    }

    [SkippableFact]
    public async Task GetPostAsync_Recorded404_ReturnsNull()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("14")));
        Assert.Null(await h.Client.GetPostAsync("t3_abc123"));
    }

    [Fact]
    public async Task GetNewAsync_NotJson_ThrowsRedditApiException()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.Text(200, "<html>maintenance</html>", "text/html"));
        var ex = await Assert.ThrowsAsync<RedditApiException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Contains("not JSON", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Lets every request through to the fake except the first API call, which hangs until cancelled.</summary>
    private sealed class HangFirstApiCallHandler(string apiBase) : DelegatingHandler(new HttpClientHandler())
    {
        private int _apiCalls;

        public int ApiCalls => _apiCalls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.ToString().StartsWith(apiBase, StringComparison.Ordinal) && Interlocked.Increment(ref _apiCalls) == 1)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
