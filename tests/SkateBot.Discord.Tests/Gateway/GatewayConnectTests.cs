using System.Text.Json;
using SkateBot.Discord.Gateway;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Gateway;

public sealed class GatewayConnectTests
{
    [Fact]
    public async Task RunAsync_ValidToken_IdentifiesAndDeliversReady()
    {
        await using var h = await GatewayHarness.StartAsync();

        var ready = (await h.NextEventAsync(GatewayEvents.Ready)).AsReady();

        var identify = await h.Fake.WaitForGatewayPayloadAsync(p => p.Op == 2);
        Assert.Equal(h.Fake.Options.BotToken, identify.GetString("token"));
        Assert.Equal(46593, identify.D.GetProperty("intents").GetInt32());
        Assert.Equal("skatebot", identify.D.GetProperty("properties").GetProperty("browser").GetString());
        Assert.Equal("skatebot", identify.D.GetProperty("properties").GetProperty("device").GetString());
        Assert.Equal([0, 1], identify.D.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(identify.D.TryGetProperty("compress", out _));
        Assert.Contains("v=10", h.Fake.Connections[0].Path);
        Assert.Contains("encoding=json", h.Fake.Connections[0].Path);
        Assert.Equal(h.Fake.SessionId, ready.SessionId);
        Assert.Equal(h.Fake.Options.BotUserId, h.Client.CurrentUser?.Id);
        Assert.Equal(h.Fake.Options.ApplicationId, h.Client.ApplicationId);
    }

    [Fact]
    public async Task Dispatch_MessageCreateWithAttachment_ArrivesTyped()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);
        var attachment = h.Fake.CreateAttachment("500000000000000001", "skate.jpg", [1, 2, 3], "image/jpeg", 640, 480);
        var sent = h.Fake.UserMessage("500000000000000001", "look", [attachment], guildId: "400000000000000001", roles: ["700"]);

        var seq = await h.Fake.DispatchAsync(GatewayEvents.MessageCreate, sent);
        var dispatch = await h.NextEventAsync(GatewayEvents.MessageCreate);

        var message = dispatch.AsMessageCreate();
        Assert.Equal(seq, dispatch.Sequence);
        Assert.Equal((string)sent["id"]!, message.Id);
        Assert.Equal("look", message.Content);
        Assert.Equal("400000000000000001", message.GuildId);
        Assert.Equal(["700"], message.Member!.Roles);
        var a = Assert.Single(message.Attachments);
        Assert.Equal("skate.jpg", a.Filename);
        Assert.Equal("image/jpeg", a.ContentType);
        Assert.Equal(640, a.Width);
        Assert.StartsWith(h.Fake.CdnBaseUrl, a.Url);
        Assert.Throws<InvalidOperationException>(() => dispatch.AsInteraction());
    }

    [Fact]
    public async Task Heartbeat_AfterHello_FirstWithinIntervalThenPeriodicWithLastSequence()
    {
        var interval = TimeSpan.FromMilliseconds(1000);
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { HeartbeatInterval = interval });
        await h.NextEventAsync(GatewayEvents.Ready);
        var seq = await h.SendMessageAsync("one");
        await h.NextEventAsync(GatewayEvents.MessageCreate);

        var withSeq = await h.Fake.WaitForGatewayPayloadAsync(p => p.Op == 1 && p.D.ValueKind == JsonValueKind.Number && p.D.GetInt32() == seq);

        var beats = h.Fake.GatewayReceived.Where(p => p.Op == 1 && p.ConnectionId == 1).ToList();
        var opened = h.Fake.Connections[0].OpenedAt;
        // Jitter puts the first beat anywhere in [0, interval); the slack covers a slow, shared test machine.
        Assert.True(beats[0].At - opened < interval + TimeSpan.FromMilliseconds(700), $"first heartbeat after {(beats[0].At - opened).TotalMilliseconds} ms");
        if (beats.Count >= 2)
            Assert.True(beats[1].At - beats[0].At > interval * 0.8, $"heartbeats {(beats[1].At - beats[0].At).TotalMilliseconds} ms apart");
        Assert.Equal(1, withSeq.ConnectionId);
    }

    [Fact]
    public async Task Heartbeat_ServerRequestsOne_SentAtOnce()
    {
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromSeconds(30) });
        await h.NextEventAsync(GatewayEvents.Ready);
        var before = h.Fake.GatewayReceived.Count(p => p.Op == 1);

        await h.Fake.SendOpAsync(1);

        await FakeDiscordServer.WaitUntilAsync(() => h.Fake.GatewayReceived.Count(p => p.Op == 1) > before, TimeSpan.FromSeconds(3), "a heartbeat answer");
    }

    [Fact]
    public async Task GoSilent_NoAck_ZombieDetectedAndResumed()
    {
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(150) });
        await h.NextEventAsync(GatewayEvents.Ready);
        await h.SendMessageAsync("before");

        h.Fake.GoSilent();
        var resume = await h.Fake.WaitForGatewayPayloadAsync(p => p.Op == 6);
        await h.SendMessageAsync("after");

        Assert.Equal(["before", "after"], await h.CollectMessagesUntilAsync("after"));
        Assert.Equal(1, h.Fake.IdentifyCount);
        Assert.NotEqual(1000, h.Fake.Connections[0].ClientCloseCode);
        Assert.Contains("/gateway-resume", h.Fake.Connections.Single(c => c.Id == resume.ConnectionId).Path);
        Assert.Contains(h.Logger.Lines, l => l.Contains("zombie", StringComparison.OrdinalIgnoreCase));
    }
}
