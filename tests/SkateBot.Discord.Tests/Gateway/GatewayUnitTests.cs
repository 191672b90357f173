using Microsoft.Extensions.Time.Testing;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Tests.Gateway;

public sealed class GatewayUnitTests
{
    [Fact]
    public async Task SendLimiter_ManySends_NeverMoreThan120In60Seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limiter = new GatewaySendLimiter(time);
        var sentAt = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await limiter.WaitAsync(CancellationToken.None);
                sentAt.Enqueue(time.GetUtcNow());
            }
        });

        // Move fake time in 5 s steps until all sends went out, giving the sender a moment after each step.
        for (var step = 0; step < 100 && !sender.IsCompleted; step++)
        {
            await FakeTimeSettle(() => sender.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(5));
        }
        await sender.WaitAsync(TimeSpan.FromSeconds(10));

        var times = sentAt.ToArray();
        Assert.Equal(300, times.Length);
        foreach (var start in times)
            Assert.True(times.Count(t => t >= start && t < start + TimeSpan.FromSeconds(60)) <= 120);
        Assert.Equal(120, times.Count(t => t < DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(60)));
        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds(120), "300 sends at 120/60 s need at least two more windows");
    }

    [Fact]
    public async Task IdentifyGate_SecondIdentify_WaitsForConcurrencyWindow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var gate = new IdentifyGate(time, TimeSpan.FromSeconds(5), new SessionStartLimit { Total = 1000, Remaining = 10, ResetAfter = 1000, MaxConcurrency = 1 }, null);
        await gate.WaitAsync(_ => { }, CancellationToken.None);

        var second = gate.WaitAsync(_ => { }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4));
        await FakeTimeSettle(() => second.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task IdentifyGate_NoIdentifiesRemaining_WaitsResetAfterThenRefreshes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var refreshed = 0;
        TimeSpan? reported = null;
        var gate = new IdentifyGate(time, TimeSpan.FromSeconds(5), new SessionStartLimit { Total = 1000, Remaining = 0, ResetAfter = 60_000, MaxConcurrency = 1 },
            _ => { refreshed++; return Task.FromResult(new SessionStartLimit { Total = 1000, Remaining = 1000, ResetAfter = 86_400_000, MaxConcurrency = 1 }); });

        var wait = gate.WaitAsync(w => reported = w, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await FakeTimeSettle(() => wait.IsCompleted);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, refreshed);
        Assert.Equal(TimeSpan.FromSeconds(60), reported);
    }

    [Theory]
    [InlineData(null, "Resume")]
    [InlineData(1006, "Resume")]
    [InlineData(4000, "Resume")]
    [InlineData(4003, "Resume")]
    [InlineData(4008, "Resume")]
    [InlineData(4007, "Reidentify")]
    [InlineData(4009, "Reidentify")]
    [InlineData(4004, "Fatal")]
    [InlineData(4011, "Fatal")]
    [InlineData(4014, "Fatal")]
    public void CloseCodes_Classify_FollowsDocsTable(int? code, string expected) =>
        Assert.Equal(expected, GatewayCloseCodes.Classify(code).ToString());

    [Theory]
    [InlineData("wss://gateway.discord.gg", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway.discord.gg/?v=10&encoding=json", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway-us-east1-b.discord.gg/?v=9&encoding=etf&compress=zlib-stream", "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")]
    [InlineData("ws://127.0.0.1:5000/gateway", "ws://127.0.0.1:5000/gateway?v=10&encoding=json")]
    public void GatewayUri_Build_SetsVersionAndJsonWithoutCompression(string input, string expected) =>
        Assert.Equal(expected, GatewayUri.Build(input).AbsoluteUri);

    [Fact]
    public void GatewayUri_HttpUrl_ClearError() =>
        Assert.Contains("ws://", Assert.Throws<InvalidDataException>(() => GatewayUri.Build("https://discord.com")).Message);

    /// <summary>Lets continuations scheduled by fake timers run before time moves again.</summary>
    private static async Task FakeTimeSettle(Func<bool> done)
    {
        for (var i = 0; i < 20 && !done(); i++)
            await Task.Delay(5);
    }
}
