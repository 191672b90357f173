using SkateBot.Discord.Rest;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Rest;

/// <summary>A fake Discord plus a REST client pointed at it with short retry delays.</summary>
internal sealed class RestHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private RestHarness(FakeDiscordServer fake, DiscordClientOptions options)
    {
        Fake = fake;
        Options = options;
        Client = new DiscordRestClient(_http, options, TimeProvider.System, Logger);
    }

    public FakeDiscordServer Fake { get; }
    public DiscordClientOptions Options { get; }
    public DiscordRestClient Client { get; }
    public TestLogger<DiscordRestClient> Logger { get; } = new();
    public HttpClient Http => _http;

    public static async Task<RestHarness> StartAsync(Func<DiscordClientOptions, DiscordClientOptions>? configure = null)
    {
        var fake = await FakeDiscordServer.StartAsync();
        var options = new DiscordClientOptions
        {
            Token = fake.Options.BotToken,
            ApiBaseUrl = fake.ApiBaseUrl,
            RestServerErrorDelay = TimeSpan.FromMilliseconds(30),
            RestMaxAttempts = 4,
        };
        return new RestHarness(fake, configure?.Invoke(options) ?? options);
    }

    /// <summary>A message the fake knows about, to reply to or react on. (Dispatching a user message needs a gateway
    /// session, which REST tests do not open, so the client posts one.)</summary>
    public async Task<string> UserMessageIdAsync(string channelId = "500000000000000001") =>
        (await Client.CreateMessageAsync(channelId, new SkateBot.Discord.Models.MessageCreate { Content = "hello" })).Id;

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        _http.Dispose();
    }
}
