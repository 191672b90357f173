using SkateBot.Discord.Gateway;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Gateway;

public sealed class GatewayReconnectTests
{
    [Fact]
    public async Task Reconnect_Op7WithEventsWhileAway_ResumesAndDeliversEachEventOnce()
    {
        // The fake also replays two already-delivered events on resume, as Discord may: they must be skipped.
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { ResumeReplayOverlap = 2 });
        await h.NextEventAsync(GatewayEvents.Ready);
        await h.SendMessageAsync("e1");
        await h.SendMessageAsync("e2");
        Assert.Equal(["e1", "e2"], await h.CollectMessagesUntilAsync("e2"));

        // Resumes wait until e3 and e4 are dispatched, so they are certainly sent while the client is away (before,
        // a fast reconnect usually got them live, and a slow box replayed them where the test skipped them).
        using (h.Fake.HoldResumes())
        {
            await h.Fake.SendOpAsync(7);
            await FakeDiscordServer.WaitUntilAsync(() => h.Fake.Connections[0].Closed, what: "the client to close after op 7");
            await h.SendMessageAsync("e3");
            await h.SendMessageAsync("e4");
            await h.Fake.WaitForGatewayPayloadAsync(p => p.Op == 6);
        }
        var resume = await h.Fake.WaitForGatewayPayloadAsync(p => p.Op == 6);
        // Discord replays what was missed, then RESUMED: the replay overlap (e1, e2) is skipped, e3 and e4 come once.
        Assert.Equal(["MESSAGE_CREATE e3", "MESSAGE_CREATE e4", "RESUMED"], await h.CollectEventsUntilAsync(GatewayEvents.Resumed));
        await h.SendMessageAsync("e5");
        Assert.Equal(["e5"], await h.CollectMessagesUntilAsync("e5"));
        Assert.Equal(h.Fake.SessionId, resume.GetString("session_id"));
        Assert.Equal(3, resume.D.GetProperty("seq").GetInt32());   // READY = 1, e1 = 2, e2 = 3
        Assert.Equal(1, h.Fake.IdentifyCount);
        Assert.NotEqual(1000, h.Fake.Connections[0].ClientCloseCode);
    }

    [Fact]
    public async Task InvalidSession_Resumable_Resumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);

        await h.Fake.InvalidateSessionAsync(resumable: true);
        await h.NextEventAsync(GatewayEvents.Resumed);

        Assert.Equal(1, h.Fake.IdentifyCount);
        Assert.Equal(1, h.Fake.ResumeCount);
    }

    [Fact]
    public async Task InvalidSession_NotResumable_IdentifiesNewSessionOnGatewayUrl()
    {
        await using var h = await GatewayHarness.StartAsync();
        var first = (await h.NextEventAsync(GatewayEvents.Ready)).AsReady();
        await h.SendMessageAsync("old");
        Assert.Equal(["old"], await h.CollectMessagesUntilAsync("old"));

        await h.Fake.InvalidateSessionAsync(resumable: false);
        var second = (await h.NextEventAsync(GatewayEvents.Ready)).AsReady();
        await h.SendMessageAsync("new");

        Assert.NotEqual(first.SessionId, second.SessionId);
        Assert.Equal(2, h.Fake.IdentifyCount);
        Assert.Equal(0, h.Fake.ResumeCount);
        Assert.StartsWith("/gateway?", h.Fake.Connections[^1].Path);
        // The new session restarts at sequence 1; its events must not be mistaken for duplicates.
        Assert.Equal(["new"], await h.CollectMessagesUntilAsync("new"));
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4003)]
    [InlineData(4005)]
    [InlineData(4008)]
    public async Task Close_ResumableCode_Resumes(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);

        await h.Fake.CloseAsync(code);
        await h.NextEventAsync(GatewayEvents.Resumed);

        Assert.Equal(1, h.Fake.IdentifyCount);
    }

    [Fact]
    public async Task DropConnection_NoCloseFrame_Resumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);

        h.Fake.DropConnection();
        await h.SendMessageAsync("while-dropped");

        Assert.Equal("while-dropped", (await h.NextEventAsync(GatewayEvents.MessageCreate)).AsMessageCreate().Content);
        Assert.Equal(1, h.Fake.IdentifyCount);
        Assert.Equal(1, h.Fake.ResumeCount);
    }

    [Fact]
    public async Task DropConnection_ManyTimesWhileBeating_ResumesEveryTime()
    {
        // Beats every 20 ms, so some drops land while a beat is being sent into the broken socket: that send's failure
        // used to escape the connection's cleanup and end the gateway loop.
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(20) });
        await h.NextEventAsync(GatewayEvents.Ready);

        for (var i = 0; i < 40; i++)
        {
            var resumes = h.Fake.ResumeCount;
            h.Fake.DropConnection();
            await h.SendMessageAsync($"while-dropped-{i}");
            Assert.Equal($"while-dropped-{i}", (await h.NextEventAsync(GatewayEvents.MessageCreate)).AsMessageCreate().Content);
            Assert.True(h.Fake.ResumeCount > resumes);
        }
        Assert.Equal(1, h.Fake.IdentifyCount);
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task Close_NewSessionCode_Reidentifies(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);

        await h.Fake.CloseAsync(code);
        await h.NextEventAsync(GatewayEvents.Ready);

        Assert.Equal(2, h.Fake.IdentifyCount);
        Assert.Equal(0, h.Fake.ResumeCount);
    }

    [Theory]
    [InlineData(4004, "set Discord:Token")]
    [InlineData(4010, "Discord:ShardId")]
    [InlineData(4011, "Discord:ShardCount")]
    [InlineData(4012, "v=10")]
    [InlineData(4013, "Discord:Intents")]
    [InlineData(4014, "enable the Message Content intent in the developer portal (Bot → Privileged Gateway Intents), or remove it from Discord:Intents")]
    public async Task Close_FatalCode_StopsWithMessageSayingWhatToFix(int code, string advice)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);

        await h.Fake.CloseAsync(code);

        var e = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => h.Run.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(code, e.CloseCode);
        Assert.Contains(advice, e.Message);
        await Assert.ThrowsAsync<DiscordGatewayFatalException>(async () => await h.Client.Dispatches.Completion);
        Assert.Single(h.Fake.Connections);
    }

    [Fact]
    public async Task Identify_PrivilegedIntentNotEnabled_FatalWithPortalAdvice()
    {
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { PrivilegedIntentsEnabled = false });

        var e = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => h.Run.WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal(4014, e.CloseCode);
        Assert.Contains("Privileged Gateway Intents", e.Message);
    }

    [Fact]
    public async Task Identify_WrongToken_Fatal4004AndTokenNeverLogged()
    {
        const string secret = "wrong-secret-token-123";
        await using var h = await GatewayHarness.StartAsync(configure: o => o with
        {
            Token = secret,
            GatewayUrlOverride = "ws" + o.ApiBaseUrl["http".Length..].Replace("/api/v10", "/gateway", StringComparison.Ordinal),
        });

        var e = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => h.Run.WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal(4004, e.CloseCode);
        Assert.Contains("set Discord:Token", e.Message);
        Assert.DoesNotContain(secret, e.ToString());
        Assert.NotEmpty(h.Logger.Lines);
        Assert.DoesNotContain(h.Logger.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WrongTokenRejectedByGatewayBot_FatalWithTokenAdvice()
    {
        await using var h = await GatewayHarness.StartAsync(configure: o => o with { Token = "another-wrong-token" });

        var e = await Assert.ThrowsAsync<DiscordGatewayFatalException>(() => h.Run.WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Contains("set Discord:Token", e.Message);
        Assert.Empty(h.Fake.Connections);
    }
}
