using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkateBot.Sandbox.Discord;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Sandbox.Site;

public sealed record SandboxSiteOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }
    /// <summary>The subreddits the bot scans; the page's subreddit panel posts to them.</summary>
    public IReadOnlyList<string> Subreddits { get; init; } = ["rollerblading"];
}

/// <summary>
/// One Kestrel server on 127.0.0.1 (never another interface): the page at <c>/</c>, the Discord stand-in under
/// <c>/discord</c> (REST <c>/discord/api/v10</c>, gateway, CDN) and the Reddit stand-in under <c>/reddit</c> (token
/// endpoint, OAuth API, image hosting). The page only talks to the stand-ins' endpoints, as a Discord client and a
/// Reddit visitor would; the bot talks to the same stand-ins through its real clients.
/// </summary>
public sealed class SandboxSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxSite(WebApplication app, string url, SandboxSiteOptions options)
    {
        _app = app;
        Url = url;
        Options = options;
        // The stand-ins start afresh each time while the bot's data folder stays: ids from the clock never repeat one an
        // earlier start handed out (the bot skips a message or post whose id it has already taken up).
        var now = TimeProvider.System.GetUtcNow();
        Discord = FakeDiscordServer.CreateMounted(url + "discord", new FakeDiscordOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(41.25), FirstId = FakeDiscordOptions.SnowflakeAt(now),
        });
        Reddit = FakeRedditServer.CreateMounted(url + "reddit", new FakeRedditOptions
        {
            ClientId = SandboxWorld.RedditClientId, ClientSecret = SandboxWorld.RedditClientSecret, FirstId = now.ToUnixTimeMilliseconds(),
        });
        foreach (var (id, name, topic) in SandboxWorld.Channels) Discord.AddChannel(id, name, SandboxWorld.GuildId, topic);
        Discord.AddUser(SandboxWorld.MemberId, "you", SandboxWorld.MemberToken);
        Discord.AddUser(SandboxWorld.OperatorId, "operator", SandboxWorld.OperatorToken, [SandboxWorld.OperatorRoleId]);
    }

    /// <summary>E.g. http://127.0.0.1:5180/ (with the trailing slash).</summary>
    public string Url { get; }
    public SandboxSiteOptions Options { get; }
    public FakeDiscordServer Discord { get; }
    public FakeRedditServer Reddit { get; }
    public SandboxStatus Status { get; } = new();

    /// <summary>The settings that point a bot at these stand-ins (configuration keys as in config/appsettings.json).</summary>
    public IReadOnlyDictionary<string, string?> BotSettings => new Dictionary<string, string?>
    {
        ["Discord:Token"] = Discord.Options.BotToken,
        ["Discord:ApiBaseUrl"] = Discord.ApiBaseUrl,
        ["Discord:GuildId"] = SandboxWorld.GuildId,
        ["Discord:Channels:0"] = SandboxWorld.PhotosChannelId,
        ["Discord:ReviewChannelId"] = SandboxWorld.ReviewChannelId,
        ["Discord:OperatorChannelId"] = SandboxWorld.OpsChannelId,
        ["Discord:FeedChannelId"] = SandboxWorld.FeedChannelId,
        ["Discord:OperatorUserIds:0"] = SandboxWorld.OperatorId,
        ["Discord:OperatorRoleIds:0"] = SandboxWorld.OperatorRoleId,
        ["Reddit:ClientId"] = SandboxWorld.RedditClientId,
        ["Reddit:ClientSecret"] = SandboxWorld.RedditClientSecret,
        ["Reddit:UserAgent"] = SandboxWorld.RedditUserAgent,
        ["Reddit:AuthBaseUrl"] = Reddit.AuthBaseUrl,
        ["Reddit:ApiBaseUrl"] = Reddit.ApiBaseUrl,
    };

    /// <exception cref="IOException">The port is taken (Kestrel's "address already in use").</exception>
    public static async Task<SandboxSite> StartAsync(SandboxSiteOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.AddServerHeader = false;
        });
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(3));
        var app = builder.Build();
        SandboxSite? site = null;
        app.UseWebSockets();
        app.Map("/discord", branch => branch.Run(context => site!.Discord.HandleAsync(context)));
        app.Map("/reddit", branch => branch.Run(context => site!.Reddit.HandleAsync(context)));
        app.Run(context => site!.HandlePageAsync(context));
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        site = new SandboxSite(app, $"http://127.0.0.1:{port}/", options);
        return site;
    }

    public int Port => new Uri(Url).Port;

    private async Task HandlePageAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        switch (path)
        {
            case "/sandbox/status":
                await context.Response.WriteAsJsonAsync(Status.Snapshot(), context.RequestAborted).ConfigureAwait(false);
                return;
            case "/sandbox/world":
                await context.Response.WriteAsJsonAsync(World(), context.RequestAborted).ConfigureAwait(false);
                return;
        }
        var name = path == "/" ? "index.html" : path.TrimStart('/');
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name);
        if (stream is null || context.Request.Method != "GET")
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8", ".js" => "text/javascript; charset=utf-8", ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml", _ => "application/octet-stream",
        };
        context.Response.Headers.CacheControl = "no-cache";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>What the page needs to act as a client: where the stand-ins are, the guild, and the two people's tokens.</summary>
    private object World() => new
    {
        discord = new { api = "/discord/api/v10", feed = "/discord" + FakeDiscordServer.FeedPath, guild_id = SandboxWorld.GuildId, application_id = Discord.Options.ApplicationId },
        reddit = new { www = "/reddit/www", sandbox = "/reddit" + FakeRedditServer.SandboxPrefix, subreddits = Options.Subreddits },
        users = new object[]
        {
            new { id = SandboxWorld.MemberId, name = "you", role = "member", token = SandboxWorld.MemberToken },
            new { id = SandboxWorld.OperatorId, name = "operator", role = "operator", token = SandboxWorld.OperatorToken },
        },
    };

    public async ValueTask DisposeAsync()
    {
        await Discord.DisposeAsync().ConfigureAwait(false);   // closes the gateway sockets and the page feeds first
        await Reddit.DisposeAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
