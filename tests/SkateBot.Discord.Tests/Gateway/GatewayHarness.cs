using System.Text.Json.Nodes;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Rest;
using SkateBot.Sandbox.Discord;

namespace SkateBot.Discord.Tests.Gateway;

/// <summary>A fake Discord plus a gateway client pointed at it, running in the background, with short timings.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new();

    private GatewayHarness(FakeDiscordServer fake, DiscordClientOptions options)
    {
        Fake = fake;
        Options = options;
        Rest = new DiscordRestClient(_http, options);
        Client = new DiscordGatewayClient(Rest, options, TimeProvider.System, Logger);
    }

    public FakeDiscordServer Fake { get; }
    public DiscordClientOptions Options { get; }
    public DiscordRestClient Rest { get; }
    public DiscordGatewayClient Client { get; }
    public TestLogger<DiscordGatewayClient> Logger { get; } = new();
    public Task Run { get; private set; } = Task.CompletedTask;

    public static async Task<GatewayHarness> StartAsync(FakeDiscordOptions? fakeOptions = null, Func<DiscordClientOptions, DiscordClientOptions>? configure = null)
    {
        var fake = await FakeDiscordServer.StartAsync(fakeOptions);
        var options = new DiscordClientOptions
        {
            Token = fake.Options.BotToken,
            ApiBaseUrl = fake.ApiBaseUrl,
            IdentifyConcurrencyWindow = TimeSpan.FromMilliseconds(100),
            InvalidSessionDelayMin = TimeSpan.FromMilliseconds(10),
            InvalidSessionDelayMax = TimeSpan.FromMilliseconds(50),
            ReconnectDelayBase = TimeSpan.FromMilliseconds(20),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        };
        var harness = new GatewayHarness(fake, configure?.Invoke(options) ?? options);
        harness.Run = Task.Run(() => harness.Client.RunAsync(harness._stop.Token));
        return harness;
    }

    /// <summary>Reads dispatches until one matches; fails after the timeout (generous: the test box is slow and shared).</summary>
    public async Task<GatewayDispatch> NextAsync(Func<GatewayDispatch, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var dispatch = await Client.Dispatches.ReadAsync(cts.Token);
            if (match is null || match(dispatch)) return dispatch;
        }
    }

    public Task<GatewayDispatch> NextEventAsync(string eventName) => NextAsync(d => d.EventName == eventName);

    /// <summary>Dispatches a user message with content <paramref name="marker"/>, returning its sequence number.</summary>
    public Task<int> SendMessageAsync(string marker) =>
        Fake.DispatchAsync(GatewayEvents.MessageCreate, Fake.UserMessage("500000000000000001", marker, guildId: "400000000000000001"));

    /// <summary>Collects message contents from MESSAGE_CREATE dispatches until <paramref name="last"/> arrives.</summary>
    public async Task<List<string>> CollectMessagesUntilAsync(string last)
    {
        var seen = new List<string>();
        while (true)
        {
            var d = await NextEventAsync(GatewayEvents.MessageCreate);
            seen.Add(d.AsMessageCreate().Content);
            if (seen[^1] == last) return seen;
        }
    }

    /// <summary>Every dispatch until (and including) the event <paramref name="last"/>, as "EVENT content" for messages
    /// and "EVENT" for the rest, so a test sees what came before an event instead of skipping it.</summary>
    public async Task<List<string>> CollectEventsUntilAsync(string last)
    {
        var seen = new List<string>();
        while (true)
        {
            var d = await NextAsync();
            seen.Add(d.EventName == GatewayEvents.MessageCreate ? $"{d.EventName} {d.AsMessageCreate().Content}" : d.EventName);
            if (d.EventName == last) return seen;
        }
    }

    /// <summary>Stops the client as a host does on shutdown (cancels its run) and waits until it has returned.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try { await Run.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Run.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        catch (DiscordGatewayFatalException) { }
        await Fake.DisposeAsync();
        _http.Dispose();
        _stop.Dispose();
    }
}
