using System.Net;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Rest;

public sealed class RestErrorTests
{
    private const string Channel = "500000000000000001";

    [Fact]
    public async Task EditMessage_UnknownMessage_ThrowsWithCodeAndMessage()
    {
        await using var h = await RestHarness.StartAsync();

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.EditMessageAsync(Channel, "999", new MessageEdit { Content = "x" }));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal(10008, e.Code);
        Assert.Contains("Unknown Message", e.Message);
        Assert.Single(h.Fake.Requests);   // 4xx other than 429 is not retried
    }

    [Fact]
    public async Task CreateMessage_InvalidFormBody_MessageNamesFirstFieldError()
    {
        await using var h = await RestHarness.StartAsync();

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.CreateMessageAsync(Channel, new MessageCreate { Content = new string('x', 2001) }));

        Assert.Equal(50035, e.Code);
        Assert.Contains("Invalid Form Body", e.Message);
        Assert.Contains("content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)", e.Message);
    }

    [Fact]
    public async Task AnyCall_ServerEchoesToken_TokenRedactedFromExceptionAndLogs()
    {
        await using var h = await RestHarness.StartAsync();
        var token = h.Options.Token;
        h.Fake.EnqueueResponse("GET", "/users/@me", FakeResponse.Error(400, 50035, "Bad token " + token, "{\"token\":{\"_errors\":[{\"code\":\"X\",\"message\":\"" + token + " is wrong\"}]}}"));
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.TooManyRequests(0.05, "user"));
        h.Fake.EnqueueResponse("POST", "/channels/*/messages", FakeResponse.ServerError(502));

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.GetCurrentUserAsync());
        await h.Client.CreateMessageAsync(Channel, new MessageCreate { Content = "ok" });
        await h.Client.CreateInteractionResponseAsync("1", "secret-interaction-token", InteractionResponse.Deferred());
        await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.EditMessageAsync(Channel, "404", new MessageEdit { Content = "x" }));

        Assert.DoesNotContain(token, e.ToString());
        Assert.Contains("[token]", e.Message);
        Assert.NotEmpty(h.Logger.Lines);
        Assert.DoesNotContain(h.Logger.Lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains("secret-interaction-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnyCall_NoToken_ClearErrorNamingConfigKey()
    {
        await using var h = await RestHarness.StartAsync(o => o with { Token = "" });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.GetCurrentUserAsync());

        Assert.Contains("Discord:Token", e.Message);
        Assert.Empty(h.Fake.Requests);
    }

    [Fact]
    public async Task AnyCall_WrongToken_Unauthorized()
    {
        await using var h = await RestHarness.StartAsync(o => o with { Token = "not-the-token" });

        var e = await Assert.ThrowsAsync<DiscordApiException>(() => h.Client.GetGatewayBotAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.DoesNotContain("not-the-token", e.Message);
    }

    [Fact]
    public void Constructor_RelativeApiBaseUrl_ClearError() =>
        Assert.Contains("Discord:ApiBaseUrl", Assert.Throws<ArgumentException>(
            () => new DiscordRestClient(new HttpClient(), new DiscordClientOptions { Token = "t", ApiBaseUrl = "discord.com/api" })).Message);

    [Fact]
    public void ApiException_Html502Body_FallsBackToStatus()
    {
        var e = DiscordApiException.FromResponse(HttpStatusCode.BadGateway, "GET users/@me", "<html>502</html>", s => s);

        Assert.Null(e.Code);
        Assert.Contains("502", e.Message);
    }
}
