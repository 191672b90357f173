using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkateBot.Discord.Rest;
using SkateBot.Features.Discord;
using SkateBot.Sandbox.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>
/// What reconnecting cannot fix stops <c>serve</c> with a non-zero exit code and a message that says what to change; and
/// the bot token never shows up in a log line (at any level, scopes and exceptions included) or an exception message.
/// </summary>
[Collection(RedditScanningCollection.Name)] // one tiny model, serial with the other host tests
public sealed class DiscordFatalCloseTests(TinyModelFixture model)
{
    [Fact]
    public async Task Serve_WrongToken_StopsAskingForDiscordTokenAndNeverShowsTheToken()
    {
        var wrongToken = "MTEx.wrong-token." + Guid.NewGuid().ToString("N");
        await using var h = await DiscordHarness.CreateAsync(model, settings: new Dictionary<string, string?> { ["Discord:Token"] = wrongToken });
        var rest = h.Host.Services.GetRequiredService<DiscordRestClient>();
        var rejected = await Assert.ThrowsAsync<DiscordApiException>(() => rest.GetCurrentUserAsync());

        await h.RunUntilItStopsAsync();

        Assert.Equal(401, (int)rejected.StatusCode);
        Assert.DoesNotContain(wrongToken, rejected.ToString(), StringComparison.Ordinal);
        Assert.Equal(DiscordBotService.FatalExitCode, h.ExitCode.Value);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("set Discord:Token", StringComparison.Ordinal));
        Assert.Contains(h.Fake.Requests, r => r.Status == 401);
        AssertNeverLogged(h, wrongToken);
    }

    [Fact]
    public async Task Serve_GatewayClose4004_StopsAskingForDiscordToken()
    {
        await using var h = await DiscordHarness.CreateAsync(model);

        await h.RunUntilItStopsAsync(async () =>
        {
            await DiscordHarness.WaitUntilAsync(() => h.Fake.SessionId is not null, "identify");
            await h.Fake.CloseAsync(4004, "Authentication failed");
        });

        Assert.Equal(DiscordBotService.FatalExitCode, h.ExitCode.Value);
        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("4004", StringComparison.Ordinal)
            && e.Message.Contains("set Discord:Token", StringComparison.Ordinal));
        AssertNeverLogged(h, h.Fake.Options.BotToken);
    }

    [Fact]
    public async Task Serve_PrivilegedIntentsDisabled_StopsAskingToEnableMessageContent()
    {
        await using var h = await DiscordHarness.CreateAsync(model, new FakeDiscordOptions { PrivilegedIntentsEnabled = false });

        await h.RunUntilItStopsAsync();

        Assert.Equal(DiscordBotService.FatalExitCode, h.ExitCode.Value);
        var critical = Assert.Single(h.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("4014", critical.Message, StringComparison.Ordinal);
        Assert.Contains("Message Content intent", critical.Message, StringComparison.Ordinal);
        // Handled, not crashed: the host must not also report a failed BackgroundService with a stack trace.
        Assert.DoesNotContain(h.Logs.Entries, e => e.Category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) && e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Serve_FullSession_NeverLogsTheToken()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var reply = await h.ReplyToAsync(await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto()));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, (string)reply["id"]!, "❌", guildId: DiscordHarness.Guild));
        var slash = h.Fake.SlashCommand("stats", DiscordHarness.WatchedChannel);
        await h.Fake.DispatchAsync("INTERACTION_CREATE", slash);
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.Error(401, 0, "401: Unauthorized"));
        await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, h.NewPhoto());

        await DiscordHarness.WaitUntilAsync(() => h.Fake.RequestsTo("PATCH", "/channels/*/messages/*").Count > 0
            && h.Fake.OriginalResponse((string)slash["token"]!)?["embeds"]?.AsArray().Count > 0
            && h.Logs.Entries.Any(e => e.Message.Contains("401", StringComparison.Ordinal)), "a reaction, a slash command and a refused reply");

        Assert.Contains(h.Logs.Entries, e => e.Level == LogLevel.Trace); // the recorder really sees everything
        AssertNeverLogged(h, h.Fake.Options.BotToken);
    }

    private static void AssertNeverLogged(DiscordHarness h, string token)
    {
        Assert.NotEmpty(h.Logs.Entries);
        var leaks = h.Logs.Entries.Where(e => e.AllText().Any(t => t.Contains(token, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "The token was logged: " + string.Join(" | ", leaks.Select(e => $"{e.Category}: {e.Message}")));
    }
}
