using Microsoft.Extensions.Logging;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Reddit.Tests;

/// <summary>A <see cref="FakeRedditServer"/> plus a <see cref="RedditApiClient"/> pointed at it, sharing one clock
/// (20x real time by default).</summary>
internal sealed class RedditHarness : IAsyncDisposable
{
    public const string UserAgent = "linux:skatebot-tests:1.0.0 (by /u/skatebot_dev)";
    public const string Username = "skatebot_dev";
    public const string Password = "correct horse battery staple";

    private RedditHarness(FakeRedditServer server, RedditClientOptions options, TimeProvider time, ILoggerFactory? logs)
    {
        Server = server;
        Options = options;
        Time = time;
        Http = new HttpClient();
        Client = new RedditApiClient(Http, options, time, logs);
    }

    public FakeRedditServer Server { get; }

    public RedditClientOptions Options { get; }

    public TimeProvider Time { get; }

    public HttpClient Http { get; }

    public RedditApiClient Client { get; }

    public IEnumerable<FakeRedditRequest> ApiRequests => Server.Requests.Where(r => r.Host == FakeRedditHost.Api);

    public IEnumerable<FakeRedditRequest> TokenRequests => Server.Requests.Where(r => r.Host == FakeRedditHost.Auth);

    public static async Task<RedditHarness> StartAsync(
        Action<FakeRedditOptions>? server = null, Action<RedditClientOptions>? client = null, TimeProvider? time = null, ILoggerFactory? logs = null)
    {
        time ??= new ScaledTimeProvider(20);
        var serverOptions = new FakeRedditOptions { TimeProvider = time };
        server?.Invoke(serverOptions);
        var fake = await FakeRedditServer.StartAsync(serverOptions);
        fake.AddUser(Username, Password);
        var options = new RedditClientOptions
        {
            ClientId = serverOptions.ClientId,
            ClientSecret = serverOptions.ClientSecret,
            UserAgent = UserAgent,
            AuthBaseUrl = fake.AuthBaseUrl,
            ApiBaseUrl = fake.ApiBaseUrl,
            RequestTimeout = TimeSpan.FromMinutes(10),
        };
        client?.Invoke(options);
        return new RedditHarness(fake, options, time, logs);
    }

    /// <summary>Asserts <paramref name="later"/> came at least <paramref name="expected"/> after <paramref name="earlier"/>,
    /// allowing 250 ms of scaled time (12.5 ms real) for timer granularity.</summary>
    public static void AssertGap(FakeRedditRequest earlier, FakeRedditRequest later, TimeSpan expected)
    {
        var gap = later.Time - earlier.Time;
        Assert.True(gap >= expected - TimeSpan.FromMilliseconds(250), $"{later.Path} came {gap} after the previous request; expected at least {expected}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
