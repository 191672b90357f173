using SkateBot.Discord.Gateway;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Gateway;

public sealed class GatewayShutdownTests
{
    [Fact]
    public async Task RunAsync_Cancelled_ClosesWithAResumableCode()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.NextEventAsync(GatewayEvents.Ready);

        await h.StopAsync();
        await FakeDiscordServer.WaitUntilAsync(() => h.Fake.Connections[0].ClientCloseCode is not null, TimeSpan.FromSeconds(15), "the client's close frame");

        // 1000 and 1001 invalidate the session (gateway.mdx "Disconnecting"): a shutdown used to close with 1000.
        Assert.Equal((int)GatewayConnection.ReconnectCloseStatus, h.Fake.Connections[0].ClientCloseCode);
        Assert.Equal(1, h.Fake.IdentifyCount);
    }
}
