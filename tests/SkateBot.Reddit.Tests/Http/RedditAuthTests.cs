using Microsoft.Extensions.Time.Testing;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Reddit.Tests.Http;

public sealed class RedditAuthTests
{
    [Fact]
    public async Task GetNewAsync_ClientCredentials_FetchesTokenThenCallsApiWithBearerAndUserAgent()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.AddPost(FakeRedditPost.Self("skates"));
        var listing = await h.Client.GetNewAsync("skates", null, null, 10);
        Assert.Single(listing.Children);
        var token = Assert.Single(h.TokenRequests);
        Assert.Equal(("client_credentials", 200, RedditHarness.UserAgent), (token.GrantType, token.Status, token.UserAgent));
        var api = Assert.Single(h.ApiRequests);
        Assert.Equal(("/r/skates/new", 200, RedditHarness.UserAgent), (api.Path, api.Status, api.UserAgent));
        Assert.Equal("1", api.Query["raw_json"]);
        Assert.Equal("10", api.Query["limit"]);
    }

    [Fact]
    public async Task SubmitCommentAsync_PasswordGrant_PostsAsUser()
    {
        await using var h = await RedditHarness.StartAsync(client: o => (o.Username, o.Password) = (RedditHarness.Username, RedditHarness.Password));
        var post = h.Server.AddPost(FakeRedditPost.Self("skates"));
        var comment = await h.Client.SubmitCommentAsync(post, "Looks like aggressive skates.");
        Assert.Equal("password", Assert.Single(h.TokenRequests).GrantType);
        var recorded = Assert.Single(h.Server.Comments);
        Assert.Equal((post, "Looks like aggressive skates.", RedditHarness.Username, comment), (recorded.ThingId, recorded.Text, recorded.Author, recorded.Fullname));
    }

    [Fact]
    public async Task SubmitCommentAsync_AppOnlyToken_ThrowsInsufficientScope()
    {
        await using var h = await RedditHarness.StartAsync();
        var post = h.Server.AddPost(FakeRedditPost.Self("skates"));
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.SubmitCommentAsync(post, "hi"));
        Assert.Equal("insufficient_scope", ex.Error);
    }

    [Fact]
    public async Task GetNewAsync_InstalledClient_SendsDeviceIdGrantWithEmptySecret()
    {
        await using var h = await RedditHarness.StartAsync(
            server: s => s.ClientSecret = "",
            client: o => (o.ClientSecret, o.DeviceId) = ("", "DO_NOT_TRACK_THIS_DEVICE"));
        await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.Equal("https://oauth.reddit.com/grants/installed_client", Assert.Single(h.TokenRequests).GrantType);
    }

    [Fact]
    public async Task GetNewAsync_WrongPassword_ThrowsInvalidGrantNamingKeys()
    {
        await using var h = await RedditHarness.StartAsync(client: o => (o.Username, o.Password) = (RedditHarness.Username, "wrong"));
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal("invalid_grant", ex.Error);
        Assert.Contains("Reddit:Username/Reddit:Password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.ApiRequests);
    }

    [Fact]
    public async Task GetNewAsync_PasswordGrantOnNonScriptApp_ThrowsUnauthorizedClient()
    {
        await using var h = await RedditHarness.StartAsync(
            server: s => s.IsScriptApp = false,
            client: o => (o.Username, o.Password) = (RedditHarness.Username, RedditHarness.Password));
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal("unauthorized_client", ex.Error);
        Assert.Contains("only script apps may use password auth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNewAsync_WrongClientSecret_ThrowsNamingClientKeys()
    {
        await using var h = await RedditHarness.StartAsync(client: o => o.ClientSecret = "not-the-secret");
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Contains("Reddit:ClientId and Reddit:ClientSecret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", ex.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("05", "invalid_grant", "Reddit:Username/Reddit:Password")]
    [InlineData("06", "unauthorized_client", "only script apps may use password auth")]
    public async Task GetNewAsync_RecordedTokenErrorAsHttp200_ThrowsAuthException(string file, string error, string hint)
    {
        var recording = FakeRedditResponse.FromRecording(Fixtures.CorpusMeta(file));
        Assert.Equal(200, recording.Status);
        await using var h = await RedditHarness.StartAsync(client: o => (o.Username, o.Password) = (RedditHarness.Username, RedditHarness.Password));
        h.Server.ScriptToken(recording);
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal(error, ex.Error);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetNewAsync_RecordedTokenEndpoint429Json_RetriesAndSucceeds()
    {
        var recording = FakeRedditResponse.FromRecording(Fixtures.CorpusMeta("07"));
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptToken(recording);
        await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.Equal([429, 200], h.TokenRequests.Select(r => r.Status));
        RedditHarness.AssertGap(h.TokenRequests.First(), h.TokenRequests.Last(), h.Options.InitialBackoff);
    }

    [Fact]
    public async Task GetNewAsync_TokenNearExpiry_RefreshesBeforeItExpires()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var h = await RedditHarness.StartAsync(time: time);
        await h.Client.GetNewAsync("skates", null, null, 5);
        time.Advance(TimeSpan.FromSeconds(3000));
        await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.Single(h.TokenRequests); // 3000 s into a 3600 s token: still good
        time.Advance(TimeSpan.FromSeconds(545)); // 3545 s: inside the 60 s refresh margin, token not yet expired
        await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.Equal(2, h.TokenRequests.Count());
        Assert.All(h.ApiRequests, r => Assert.Equal(200, r.Status)); // never sent an expired token
    }

    [Fact]
    public async Task GetNewAsync_TokenRevoked_RefreshesOnceAndRetries()
    {
        await using var h = await RedditHarness.StartAsync();
        await h.Client.GetNewAsync("skates", null, null, 5);
        h.Server.ExpireTokens();
        await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.Equal([200, 401, 200], h.ApiRequests.Select(r => r.Status));
        Assert.Equal(2, h.TokenRequests.Count());
    }

    [SkippableTheory]
    [InlineData("09")] // JSON body
    [InlineData("10")] // 37 KB HTML body
    public async Task GetNewAsync_Recorded401InvalidToken_RefreshesAndRetries(string file)
    {
        var recording = FakeRedditResponse.FromRecording(Fixtures.CorpusMeta(file));
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(recording);
        var listing = await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.Empty(listing.Children);
        Assert.Equal([401, 200], h.ApiRequests.Select(r => r.Status));
        Assert.Equal(2, h.TokenRequests.Count());
    }

    [Fact]
    public async Task GetNewAsync_401AfterFreshToken_ThrowsInsteadOfLooping()
    {
        await using var h = await RedditHarness.StartAsync();
        h.Server.ScriptApi(FakeRedditResponse.InvalidToken());
        h.Server.ScriptApi(FakeRedditResponse.InvalidToken());
        var ex = await Assert.ThrowsAsync<RedditAuthException>(() => h.Client.GetNewAsync("skates", null, null, 5));
        Assert.Equal("invalid_token", ex.Error);
        Assert.Equal(2, h.ApiRequests.Count());
    }

    [Fact]
    public async Task Logs_AtEveryLevel_NeverContainSecretsOrTokens()
    {
        var logs = new ListLoggerFactory();
        await using var h = await RedditHarness.StartAsync(
            client: o => (o.Username, o.Password) = (RedditHarness.Username, RedditHarness.Password), logs: logs);
        h.Server.ScriptApi(FakeRedditResponse.InvalidToken());
        h.Server.ScriptApi(FakeRedditResponse.ServiceUnavailable());
        await h.Client.GetNewAsync("skates", null, null, 5);
        Assert.NotEmpty(logs.Lines);
        foreach (var line in logs.Lines)
        {
            Assert.DoesNotContain(RedditHarness.Password, line, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Options.ClientSecret, line, StringComparison.Ordinal);
            Assert.DoesNotContain("fake-1-", line, StringComparison.Ordinal); // issued tokens look like fake-<n>-<guid>
        }
    }
}
