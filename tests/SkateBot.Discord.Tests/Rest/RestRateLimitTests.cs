using System.Diagnostics;
using System.Net;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Rest;

public sealed class RestRateLimitTests
{
    private const string Channel = "500000000000000001";
    private static readonly MessageCreate Hi = new() { Content = "hi" };

    [Fact]
    public async Task CreateMessage_BucketExhausted_WaitsForResetInsteadOfHitting429()
    {
        await using var h = await RestHarness.StartAsync();
        h.Fake.SetBucket("POST", "/channels/*/messages", "msgbucket", limit: 2, window: TimeSpan.FromMilliseconds(400));
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => h.Client.CreateMessageAsync(Channel, Hi)));

        Assert.Equal(0, h.Fake.RateLimitViolations);
        Assert.Equal(5, h.Fake.RequestsTo("POST", "/channels/*/messages").Count(r => r.Status == 200));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(750), $"5 requests at 2 per 400 ms took only {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task CreateMessage_BucketsPerChannel_OtherChannelNotDelayed()
    {
        await using var h = await RestHarness.StartAsync();
        h.Fake.SetBucket("POST", "/channels/*/messages", "msgbucket", limit: 1, window: TimeSpan.FromSeconds(3));
        await h.Client.CreateMessageAsync(Channel, Hi);
        var watch = Stopwatch.StartNew();

        await h.Client.CreateMessageAsync("500000000000000002", Hi);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), "a bucket is keyed on its channel");
        Assert.Equal(0, h.Fake.RateLimitViolations);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("shared")]
    public async Task CreateMessage_429WithScope_WaitsRetryAfterThenSucceeds(string scope)
    {
        await using var h = await RestHarness.StartAsync();
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.TooManyRequests(0.3, scope));

        var message = await h.Client.CreateMessageAsync(Channel, Hi);

        var attempts = h.Fake.RequestsTo("POST", "/channels/*/messages");
        Assert.Equal([429, 200], attempts.Select(r => r.Status));
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(280), $"retried after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms");
        Assert.Equal("hi", message.Content);
        Assert.Contains(h.Logger.Lines, l => l.Contains(scope, StringComparison.Ordinal) && l.Contains("429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Global429_OnOneRoute_PausesOtherRoutes()
    {
        await using var h = await RestHarness.StartAsync();
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.TooManyRequests(0.6, "global"));

        var post = h.Client.CreateMessageAsync(Channel, Hi);
        var limited = await h.Fake.WaitForRequestAsync(r => r.Status == 429);
        await Task.Delay(50);   // let the client read the 429 before the other route asks
        await h.Client.GetCurrentUserAsync();
        await post;

        var me = h.Fake.RequestsTo("GET", "/users/@me").Single();
        Assert.True(me.At - limited.At >= TimeSpan.FromMilliseconds(500), $"GET /users/@me went out {(me.At - limited.At).TotalMilliseconds} ms after a global 429 of 600 ms");
    }

    [Fact]
    public async Task CreateMessage_502ThenOk_RetriedWithBackoff()
    {
        await using var h = await RestHarness.StartAsync();
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.ServerError(502));
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.ServerError(503));

        await h.Client.CreateMessageAsync(Channel, Hi);

        var attempts = h.Fake.RequestsTo("POST", "/channels/*/messages");
        Assert.Equal([502, 503, 200], attempts.Select(r => r.Status));
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(50), "the second back-off doubles the first (30 ms → 60 ms)");
    }

    [Fact]
    public async Task CreateMessage_CreatedThenAnswered502_TheRetryGetsThatMessage_NotASecondOne()
    {
        // A gateway timeout in front of Discord can come after the message was created; retrying the POST as it was
        // used to post the reply twice.
        await using var h = await RestHarness.StartAsync();
        h.Fake.FailAfterHandling("POST", "/channels/*/messages", FakeResponse.ServerError(502));

        var sent = await h.Client.CreateMessageAsync(Channel, Hi);

        var attempts = h.Fake.RequestsTo("POST", "/channels/*/messages");
        Assert.Equal([502, 200], attempts.Select(r => r.Status));
        Assert.Equal([sent.Id], h.Fake.MessagesIn(Channel).Select(m => (string)m["id"]!));
        var nonce = attempts[0].Json.GetProperty("nonce").GetString();
        Assert.False(string.IsNullOrEmpty(nonce));
        Assert.Equal(nonce, attempts[1].Json.GetProperty("nonce").GetString());
        Assert.True(attempts[1].Json.GetProperty("enforce_nonce").GetBoolean());

        // Another call is another message.
        await h.Client.CreateMessageAsync(Channel, Hi);
        Assert.Equal(2, h.Fake.MessagesIn(Channel).Count);
        Assert.NotEqual(nonce, h.Fake.RequestsTo("POST", "/channels/*/messages")[^1].Json.GetProperty("nonce").GetString());
    }

    [Fact]
    public async Task CreateMessage_AlwaysServerError_GivesUpAfterMaxAttempts()
    {
        await using var h = await RestHarness.StartAsync();
        for (var i = 0; i < 10; i++)
            h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.ServerError(500));

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.CreateMessageAsync(Channel, Hi));

        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal(h.Options.RestMaxAttempts, h.Fake.RequestsTo("POST", "/channels/*/messages").Count);
    }
}
