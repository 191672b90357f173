using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Features;
using SkateBot.Features.Classification;
using SkateBot.Features.RedditScanning;
using SkateBot.Storage;
using SkateBot.Sandbox.Discord;
using SkateBot.Testing.Paths;
using SkateBot.Sandbox.Reddit;
using SkateBot.Vision.Inference;
using TorchSharp;

namespace SkateBot.Tests.Features.RedditScanning;

/// <summary>
/// A fake Reddit (and optionally a fake Discord, then with the bot's token so the Discord client is registered as serve
/// registers it), a temp data directory, and bot instances built the way <c>serve</c> builds them (AddSkateBotCore +
/// AddSkateBotFrontEnds) on top. <see cref="StartBotAsync"/> can be called again for a
/// restart on the same database.
/// </summary>
public sealed class ScanHarness : IAsyncDisposable
{
    public const string ReviewChannel = "700000000000000001";
    public const string FeedChannel = "700000000000000002";
    public const string UserAgent = "linux:skatebot-tests:1.0.0 (by /u/skatebot_tests)";

    private readonly TinyModelFixture _model;
    private readonly TempDirectory _data = new("skatebot-reddit-scan");
    private readonly List<IHost> _hosts = [];
    private int _imageCounter;
    private bool _started;

    private ScanHarness(TinyModelFixture model, FakeRedditServer reddit, FakeDiscordServer? discord)
    {
        _model = model;
        Reddit = reddit;
        Discord = discord;
    }

    public FakeRedditServer Reddit { get; }

    public FakeDiscordServer? Discord { get; }

    /// <summary>Settings on top of the defaults below (e.g. ["Reddit:BackfillLimit"] = "3").</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public IHost? Bot { get; private set; }

    public SkateDatabase Db => Bot!.Services.GetRequiredService<SkateDatabase>();

    public RedditScanner Scanner => Bot!.Services.GetRequiredService<RedditScanner>();

    public static Task<ScanHarness> StartAsync(TinyModelFixture model, bool withDiscord = false, params string[] subreddits) =>
        StartAsync(model, null, withDiscord, subreddits);

    public static async Task<ScanHarness> StartAsync(TinyModelFixture model, FakeRedditOptions? redditOptions, bool withDiscord = false, params string[] subreddits)
    {
        var reddit = await FakeRedditServer.StartAsync(redditOptions);
        var discord = withDiscord ? await FakeDiscordServer.StartAsync() : null;
        var harness = new ScanHarness(model, reddit, discord);
        var subs = subreddits.Length > 0 ? subreddits : ["rollerblading"];
        for (var i = 0; i < subs.Length; i++) harness.Settings[$"Reddit:Subreddits:{i}"] = subs[i];
        return harness;
    }

    public IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Storage:DataDirectory"] = _data.Path,
        ["Model:Device"] = "cpu",
        ["Model:MaxBatchDelay"] = "00:00:00.001",
        ["Downloads:AllowedHosts:0"] = "i.redd.it",
        ["Downloads:AllowInsecureLoopback"] = "true",
        ["Retraining:Schedule"] = "",
        ["Retraining:NewLabelThreshold"] = "0",
        ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
        ["Reddit:ClientId"] = Reddit.Options.ClientId,
        ["Reddit:ClientSecret"] = Reddit.Options.ClientSecret,
        ["Reddit:UserAgent"] = UserAgent,
        ["Reddit:AuthBaseUrl"] = Reddit.AuthBaseUrl,
        ["Reddit:ApiBaseUrl"] = Reddit.ApiBaseUrl,
        ["Reddit:BackfillLimit"] = "25",
        ["Discord:Token"] = Discord?.Options.BotToken ?? "",
        ["Discord:ApiBaseUrl"] = Discord?.ApiBaseUrl ?? "https://discord.com/api/v10",
        ["Discord:ReviewChannelId"] = Discord is null ? "" : ReviewChannel,
    }.Concat(Settings).GroupBy(kv => kv.Key).Select(g => g.Last())).Build();

    /// <summary>Builds a bot on the shared data directory (disposing the previous one) with the tiny model serving.
    /// The host is not started: tests drive <see cref="RedditScanner.ScanOnceAsync"/> themselves unless <paramref name="start"/>.</summary>
    public async Task<IHost> StartBotAsync(bool start = false, Action<IServiceCollection>? configure = null)
    {
        await StopBotAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(Configuration());
        builder.Services.AddSkateBotCore();
        builder.Services.AddSkateBotFrontEnds(builder.Configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        _hosts.Add(host);
        Bot = host;
        host.Services.GetRequiredService<ModelHost>().Publish(SkateClassifier.Load(_model.CheckpointPath, torch.CPU));
        if (start)
        {
            await host.StartAsync();
            _started = true;
        }
        return host;
    }

    public async Task StopBotAsync()
    {
        if (Bot is null) return;
        if (_started) await Bot.StopAsync();
        _started = false;
        await ((IAsyncDisposable)Bot).DisposeAsync();
        Bot = null;
    }

    /// <summary>Serves a new, distinct JPEG on the fake Reddit CDN; returns its URL and the SHA-256 the bot will store it under.</summary>
    public (Uri Url, string Sha) AddImage()
    {
        var n = Interlocked.Increment(ref _imageCounter);
        using var image = new Image<Rgb24>(80, 60);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                image[x, y] = new Rgb24((byte)(n * 37 + x), (byte)(n * 91 + y), (byte)(n * 13 + x * y));
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        var bytes = buffer.ToArray();
        return (Reddit.AddImage($"photo{n}.jpg", bytes), ClassificationPipeline.Sha256(bytes));
    }

    /// <summary>How often the fake CDN served an image.</summary>
    public int Downloads(Uri url) => Reddit.Requests.Count(r => r.Host == FakeRedditHost.Cdn && url.AbsolutePath.EndsWith(r.Path, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await StopBotAsync();
        await Reddit.DisposeAsync();
        if (Discord is not null) await Discord.DisposeAsync();
        _data.Dispose();
    }
}
