using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SkateBot.Sandbox.Discord;

/// <summary>
/// A stand-in for Discord on 127.0.0.1 (a random port) that speaks the real protocol: REST under
/// <see cref="ApiBaseUrl"/> (every request recorded), a WebSocket gateway (returned by GET /gateway/bot, so pointing a
/// client's Discord:ApiBaseUrl here redirects its gateway too) and a CDN for attachment bytes under <see cref="CdnBaseUrl"/>.
/// <para>Script it from a test: <see cref="DispatchAsync"/> events, <see cref="SendOpAsync"/>, <see cref="CloseAsync"/>,
/// <see cref="DropConnection"/>, <see cref="GoSilent"/>, <see cref="InvalidateSessionAsync"/>; REST rate limits with
/// <see cref="SetBucket"/> and one-off answers (429, 5xx, errors) with <see cref="EnqueueResponse"/>. It never
/// references the client in src/, so a client mistake cannot hide behind the same mistake here.</para>
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    private const string ApiPrefix = "/api/v10";
    private const string CdnPrefix = "/cdn";
    private readonly WebApplication? _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _sync = new();
    private long _nextId;

    private FakeDiscordServer(WebApplication? app, FakeDiscordOptions options)
    {
        _app = app;
        Options = options;
        _nextId = options.FirstId;
    }

    public FakeDiscordOptions Options { get; }

    /// <summary>Now on <see cref="FakeDiscordOptions.TimeProvider"/>.</summary>
    private DateTimeOffset Now => Options.TimeProvider.GetUtcNow();
    /// <summary>E.g. http://127.0.0.1:41234</summary>
    public string BaseUrl { get; private set; } = "";
    /// <summary>E.g. http://127.0.0.1:41234/api/v10 (use as Discord:ApiBaseUrl).</summary>
    public string ApiBaseUrl => BaseUrl + ApiPrefix;
    /// <summary>E.g. http://127.0.0.1:41234/cdn; attachment URLs live under it.</summary>
    public string CdnBaseUrl => BaseUrl + CdnPrefix;
    /// <summary>The URL GET /gateway/bot returns.</summary>
    public string GatewayUrl => "ws" + BaseUrl["http".Length..] + "/gateway";
    /// <summary>The resume_gateway_url READY carries: a different path so tests can see that resumes use it.</summary>
    public string ResumeGatewayUrl => "ws" + BaseUrl["http".Length..] + "/gateway-resume";

    /// <summary>Every REST request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions? options = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeDiscordServer(app, options ?? new FakeDiscordOptions());
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    /// <summary>A stand-in served by someone else's Kestrel app (the sandbox site) under <paramref name="baseUrl"/>: route
    /// that path prefix to <see cref="HandleAsync"/> (with WebSockets enabled); disposing it only closes its connections.</summary>
    public static FakeDiscordServer CreateMounted(string baseUrl, FakeDiscordOptions? options = null) =>
        new(null, options ?? new FakeDiscordOptions()) { BaseUrl = baseUrl.TrimEnd('/') };

    /// <summary>Answers one request whose path is relative to <see cref="BaseUrl"/>.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "";
        if (path == FeedPath)
            await HandleFeedAsync(context).ConfigureAwait(false);
        else if (path is "/gateway" or "/gateway-resume")
            await HandleGatewayAsync(context).ConfigureAwait(false);
        else if (path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
            await HandleRestAsync(context, path[ApiPrefix.Length..]).ConfigureAwait(false);
        else if (path.StartsWith(CdnPrefix + "/", StringComparison.Ordinal))
            await HandleCdnAsync(context, path[CdnPrefix.Length..]).ConfigureAwait(false);
        else
            context.Response.StatusCode = 404;
    }

    /// <summary>A new snowflake-like id, increasing.</summary>
    public string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Requests whose method matches and whose path matches <paramref name="pathPattern"/> ('*' = one segment).</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string pathPattern) =>
        Requests.Where(r => r.Method == method && PathPattern.Matches(pathPattern, r.Path)).ToList();

    /// <summary>Waits until a recorded request satisfies <paramref name="predicate"/> and returns it.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null)
    {
        RecordedRequest? found = null;
        await WaitUntilAsync(() => (found = Requests.FirstOrDefault(predicate)) is not null, timeout, "a matching REST request").ConfigureAwait(false);
        return found!;
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms; throws <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string what = "the condition")
    {
        // Patience is real elapsed time, whatever clock the server runs on.
        var started = Stopwatch.GetTimestamp();
        var patience = timeout ?? TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > patience)
                throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AbortAllConnections();
        CloseFeeds();
        if (_app is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
