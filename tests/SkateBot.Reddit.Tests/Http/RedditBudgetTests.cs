using System.Net.Http.Headers;
using System.Text.Json;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Reddit.Tests.Http;

/// <summary>The client must never exceed the budget the server announces; the fake counts per window and records
/// every request over budget as a violation.</summary>
public sealed class RedditBudgetTests
{
    [Fact]
    public async Task Scan_TightBudget_NeverExceedsIt()
    {
        await using var h = await RedditHarness.StartAsync(server: s =>
        {
            s.RateLimitBudget = 5;
            s.RateLimitWindow = TimeSpan.FromSeconds(10);
            s.RemainingAsFloat = false;
        });
        for (var i = 0; i < 120; i++)
            h.Server.AddPost(FakeRedditPost.Self(i % 2 == 0 ? "rollerblading" : "inlineskating"));

        for (var round = 0; round < 4; round++)
        {
            var posts = await h.Client.GetNewSinceAsync(["rollerblading", "inlineskating"], "t3_1000000", 1000); // 2 pages
            Assert.Equal(119, posts.Count);
        }
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => h.Client.GetNewAsync("rollerblading", null, null, 5)));

        Assert.Equal(0, h.Server.RateLimitViolations);
        Assert.Equal(14, h.ApiRequests.Count());
        Assert.All(h.ApiRequests, r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task FakeServer_ClientIgnoringBudget_IsCaught()
    {
        await using var h = await RedditHarness.StartAsync(server: s => s.RateLimitBudget = 3);
        using var http = new HttpClient();
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, h.Server.AuthBaseUrl + "/api/v1/access_token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{h.Options.ClientId}:{h.Options.ClientSecret}")));
        using var tokenResponse = await http.SendAsync(tokenRequest);
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, h.Server.ApiBaseUrl + "/r/skates/new?raw_json=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
            using var response = await http.SendAsync(request);
            statuses.Add((int)response.StatusCode);
            if (i == 2)
                Assert.Equal("0.0", response.Headers.GetValues("x-ratelimit-remaining").Single());
        }
        Assert.Equal([200, 200, 200, 429, 429], statuses);
        Assert.Equal(2, h.Server.RateLimitViolations);
    }
}
