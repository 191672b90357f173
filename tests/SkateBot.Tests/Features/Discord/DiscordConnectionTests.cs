using SkateBot.Features.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>Connecting, identifying and registering the slash commands, as <c>serve</c> does.</summary>
[Collection(RedditScanningCollection.Name)] // one tiny model; serial with the other hosts
public sealed class DiscordConnectionTests(TinyModelFixture model)
{
    [Fact]
    public async Task Serve_WithToken_IdentifiesWithIntents46593AndRegistersCommandsGlobally()
    {
        await using var h = await DiscordHarness.StartAsync(model);

        var identify = await h.Fake.WaitForGatewayPayloadAsync(p => p.Op == 2);
        Assert.Equal(46593, identify.D.GetProperty("intents").GetInt32());
        Assert.Equal(h.Fake.Options.BotToken, identify.GetString("token"));
        Assert.Equal(["classify", "retrain", "stats"], h.Fake.Commands().Select(c => (string)c!["name"]!).Order());
        var classify = h.Fake.Commands().Single(c => (string)c!["name"]! == SlashCommands.Classify)!;
        Assert.Equal(11, (int)classify["options"]![0]!["type"]!); // an attachment option
        Assert.Empty(h.Fake.RequestsTo("PUT", "/applications/*/guilds/*/commands"));
    }

    [Fact]
    public async Task Serve_WithGuildId_RegistersCommandsInThatGuildOnly()
    {
        await using var h = await DiscordHarness.StartAsync(model, new Dictionary<string, string?> { ["Discord:GuildId"] = DiscordHarness.Guild });

        Assert.Equal(3, h.Fake.Commands(DiscordHarness.Guild).Count);
        Assert.Empty(h.Fake.Commands());
        Assert.Empty(h.Fake.RequestsTo("PUT", "/applications/*/commands"));
    }
}
