using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SkateBot.Sandbox.Reddit;

/// <summary>
/// A Reddit stand-in on 127.0.0.1 (Kestrel, random port) that speaks the real protocol: the OAuth token endpoint
/// under <see cref="AuthBaseUrl"/>, the API (<c>/r/{a+b}/new</c>, <c>/comments/{id}</c>, <c>/api/comment</c>) under
/// <see cref="ApiBaseUrl"/> with bearer checks and x-ratelimit headers from a per-window budget it enforces, and an
/// image CDN under <see cref="CdnBaseUrl"/>. Tests add posts (newest last added), script one-off failures, and read the
/// request log and <see cref="RateLimitViolations"/>. It shares no code with the client in src/.
/// </summary>
public sealed partial class FakeRedditServer : IAsyncDisposable
{
    private readonly WebApplication? _app;
    private readonly FakeRedditOptions _options;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _posts = []; // oldest first
    private readonly Dictionary<string, FakeRedditResponse> _unavailable = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Expires, string? User)> _tokens = new(StringComparer.Ordinal);
    private readonly Queue<FakeRedditResponse> _tokenScript = new();
    private readonly List<(string? PathPrefix, FakeRedditResponse Response)> _apiScript = [];
    private readonly Dictionary<string, (byte[] Bytes, string ContentType)> _images = new(StringComparer.Ordinal);
    private readonly List<FakeRedditRequest> _requests = [];
    private readonly List<FakeRedditComment> _comments = [];
    private long _nextId;
    private long _window = -1;
    private int _usedInWindow;
    private int _violations;
    private int _tokenCounter;

    private FakeRedditServer(WebApplication? app, FakeRedditOptions options)
    {
        _app = app;
        _options = options;
        _time = options.TimeProvider;
        _started = _time.GetUtcNow();
        _nextId = options.FirstId;
    }

    /// <summary>Starts a server on 127.0.0.1 with a free port.</summary>
    public static async Task<FakeRedditServer> StartAsync(FakeRedditOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new FakeRedditServer(app, options ?? new FakeRedditOptions());
        server.MapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Root = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'));
        return server;
    }

    /// <summary>A stand-in served by someone else's Kestrel app (the sandbox site) under <paramref name="baseUrl"/>: route
    /// that path prefix to <see cref="HandleAsync"/>; disposing it only stops its folder feeds.</summary>
    public static FakeRedditServer CreateMounted(string baseUrl, FakeRedditOptions? options = null) =>
        new(null, options ?? new FakeRedditOptions()) { Root = new Uri(baseUrl.TrimEnd('/') + "/") };

    private Uri Root { get; set; } = null!;

    /// <summary>Use as <c>Reddit:AuthBaseUrl</c>; the token endpoint is <c>{AuthBaseUrl}/api/v1/access_token</c>.</summary>
    public string AuthBaseUrl => Root + "www";

    /// <summary>Use as <c>Reddit:ApiBaseUrl</c>.</summary>
    public string ApiBaseUrl => Root + "oauth";

    /// <summary>Base of image URLs returned by <see cref="AddImage"/>.</summary>
    public string CdnBaseUrl => Root + "i";

    public FakeRedditOptions Options => _options;

    /// <summary>API requests sent after the current window's budget was used up (each got a 429).</summary>
    public int RateLimitViolations { get { lock (_lock) return _violations; } }

    /// <summary>Every request so far, oldest first.</summary>
    public IReadOnlyList<FakeRedditRequest> Requests { get { lock (_lock) return [.. _requests]; } }

    /// <summary>Comments received on <c>/api/comment</c>.</summary>
    public IReadOnlyList<FakeRedditComment> Comments { get { lock (_lock) return [.. _comments]; } }

    /// <summary>Lets <paramref name="username"/> log in with the password grant (script app).</summary>
    public void AddUser(string username, string password)
    {
        lock (_lock) _users[username] = password;
    }

    /// <summary>Adds a post as the newest one and returns its fullname. Missing id/name/permalink/created_utc/url are
    /// filled in; a recorded post keeps its own.</summary>
    public string AddPost(JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (_lock)
        {
            if (data["id"] is null)
                data["id"] = ToBase36(_nextId++);
            var id = (string)data["id"]!;
            data["name"] ??= "t3_" + id;
            data["subreddit"] ??= "test";
            data["permalink"] ??= $"/r/{data["subreddit"]}/comments/{id}/post/";
            data["created_utc"] ??= _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 + _posts.Count / 1000.0;
            data["url"] ??= data["is_gallery"]?.GetValue<bool>() == true
                ? $"https://www.reddit.com/gallery/{id}"
                : "https://www.reddit.com" + data["permalink"];
            _posts.Add(data);
            return (string)data["name"]!;
        }
    }

    /// <summary>Adds the t3 children of a recorded listing file (newest first in the file) keeping their order;
    /// returns their fullnames as in the file.</summary>
    public IReadOnlyList<string> AddRecordedListing(string listingJsonPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(listingJsonPath))!;
        var listing = root is JsonArray array ? array[0]! : root;
        var children = listing["data"]!["children"]!.AsArray()
            .Where(c => (string?)c!["kind"] == "t3").Select(c => c!["data"]!.DeepClone().AsObject()).ToList();
        var names = children.Select(c => (string)c["name"]!).ToList();
        for (var i = children.Count - 1; i >= 0; i--)
            AddPost(children[i]);
        return names;
    }

    /// <summary>Makes every listing that includes <paramref name="subreddit"/> answer with <paramref name="response"/>
    /// (e.g. <see cref="FakeRedditResponse.SubredditForbidden"/>("quarantined")) until cleared with null.</summary>
    public void SetSubredditUnavailable(string subreddit, FakeRedditResponse? response)
    {
        lock (_lock)
        {
            if (response is null)
                _unavailable.Remove(subreddit);
            else
                _unavailable[subreddit] = response;
        }
    }

    /// <summary>The next API request (whose path starts with <paramref name="pathPrefix"/>, if given) gets
    /// <paramref name="response"/> instead of its normal answer. It still counts against the budget.</summary>
    public void ScriptApi(FakeRedditResponse response, string? pathPrefix = null)
    {
        lock (_lock) _apiScript.Add((pathPrefix, response));
    }

    /// <summary>The next token request gets <paramref name="response"/> (e.g. an error sent as HTTP 200).</summary>
    public void ScriptToken(FakeRedditResponse response)
    {
        lock (_lock) _tokenScript.Enqueue(response);
    }

    /// <summary>Revokes every issued token: the next API call with one gets 401 invalid_token.</summary>
    public void ExpireTokens()
    {
        lock (_lock) _tokens.Clear();
    }

    /// <summary>Serves <paramref name="bytes"/> at <c>{CdnBaseUrl}/{fileName}</c> and returns that URL.</summary>
    public Uri AddImage(string fileName, byte[] bytes, string contentType = "image/jpeg")
    {
        if (string.IsNullOrEmpty(fileName) || fileName.Contains('/', StringComparison.Ordinal))
            throw new ArgumentException("A plain file name is required.", nameof(fileName));
        lock (_lock) _images[fileName] = (bytes, contentType);
        return new Uri(CdnBaseUrl + "/" + fileName);
    }

    public async ValueTask DisposeAsync()
    {
        await StopFeedsAsync().ConfigureAwait(false);
        if (_app is null) return;
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new Stack<char>();
        do
        {
            chars.Push(digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return new string([.. chars]);
    }

    private static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    private static string Invariant(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>A comment received by the fake.</summary>
public sealed record FakeRedditComment(string ThingId, string Text, string Author, string Fullname);
