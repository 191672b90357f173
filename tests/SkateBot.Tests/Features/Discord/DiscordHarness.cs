using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Cli;
using SkateBot.Storage;
using SkateBot.Sandbox.Discord;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>
/// A fake Discord on 127.0.0.1 and the real <c>serve</c> host (<see cref="ServeCommand.Build"/>) pointed at it, on a temp
/// data directory whose registry has the tiny model as champion (so the serving model loads it the way it loads any
/// champion). Every log line at every level is recorded in <see cref="Logs"/>; the console sink is switched off.
/// </summary>
public sealed class DiscordHarness : IAsyncDisposable
{
    public const string WatchedChannel = "500000000000000001";
    public const string UnwatchedChannel = "500000000000000002";
    public const string DmChannel = "600000000000000001";
    public const string Guild = "400000000000000001";
    public const string User = "300000000000000001";
    public const string OtherUser = "300000000000000002";
    public const string Operator = "300000000000000009";
    public const string OperatorRole = "800000000000000001";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45); // a loaded 2-core machine; passing runs take far less

    private readonly TempDirectory _data = new("skatebot-discord");
    private int _imageCounter;
    private bool _ranToEnd;
    private bool _stopped;
    private IConfiguration _configuration = null!;

    private DiscordHarness(FakeDiscordServer fake, IHost host)
    {
        Fake = fake;
        Host = host;
    }

    public FakeDiscordServer Fake { get; }

    public IHost Host { get; private set; }

    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>What serve would exit with (kept from the start: RunUntilItStopsAsync disposes the host).</summary>
    public SkateBot.Features.ExitCode ExitCode { get; private set; } = null!;

    public SkateDatabase Db => Host.Services.GetRequiredService<SkateDatabase>();

    public string DataDirectory => _data.Path;

    public CancellationToken Stopping => Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    /// <summary>Builds (not starts) the bot. <paramref name="settings"/> go on top of the defaults (e.g. Discord:GuildId).</summary>
    public static async Task<DiscordHarness> CreateAsync(TinyModelFixture model, FakeDiscordOptions? fakeOptions = null, IDictionary<string, string?>? settings = null)
    {
        var fake = await FakeDiscordServer.StartAsync(fakeOptions);
        var harness = new DiscordHarness(fake, null!);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(harness.Defaults().Concat(settings ?? new Dictionary<string, string?>())
            .GroupBy(kv => kv.Key).Select(g => g.Last())).Build();
        harness._configuration = configuration;
        harness.BuildHost();
        var db = harness.Db;
        db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
        db.Models.Promote(TinyModelFixture.Version, "test fixture");
        return harness;
    }

    private void BuildHost()
    {
        Host = ServeCommand.Build(_configuration, []);
        ExitCode = Host.Services.GetRequiredService<SkateBot.Features.ExitCode>();
        Host.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
    }

    private int CommandRegistrations => Fake.RequestsTo("PUT", "/applications/*/commands").Count + Fake.RequestsTo("PUT", "/applications/*/guilds/*/commands").Count;

    /// <summary>Stops the bot as <c>serve</c> stops on SIGTERM and lets go of its data; the fake and the data directory stay.</summary>
    public async Task StopBotAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Host.StopAsync(timeout.Token);
        await ((IAsyncDisposable)Host).DisposeAsync();
        _stopped = true;
    }

    /// <summary>Starts the bot again, as a new process would, on the same data directory and fake: a new gateway session
    /// (Identify, not Resume). Returns once it has registered its commands again.</summary>
    public async Task StartBotAgainAsync()
    {
        var before = CommandRegistrations;
        BuildHost();
        await Host.StartAsync();
        _stopped = false;
        await FakeDiscordServer.WaitUntilAsync(() => CommandRegistrations > before, Patience, "identify and command registration after the restart");
    }

    /// <summary>Builds and starts the bot, and waits until it has identified and registered its commands.</summary>
    public static async Task<DiscordHarness> StartAsync(TinyModelFixture model, IDictionary<string, string?>? settings = null, FakeDiscordOptions? fakeOptions = null)
    {
        var harness = await CreateAsync(model, fakeOptions, settings);
        await harness.Host.StartAsync();
        await FakeDiscordServer.WaitUntilAsync(() => harness.Fake.RequestsTo("PUT", "/applications/*/commands").Count
            + harness.Fake.RequestsTo("PUT", "/applications/*/guilds/*/commands").Count > 0, Patience, "identify and command registration");
        return harness;
    }

    private Dictionary<string, string?> Defaults() => new()
    {
        ["Discord:Token"] = Fake.Options.BotToken,
        ["Discord:ApiBaseUrl"] = Fake.ApiBaseUrl,
        ["Discord:Channels:0"] = WatchedChannel,
        ["Discord:OperatorUserIds:0"] = Operator,
        ["Discord:OperatorRoleIds:0"] = OperatorRole,
        ["Discord:PhotosPerUserPerMinute"] = "0", // tests post many photos as one person; PhotoRateLimitTests turns it on
        ["Downloads:AllowedHosts:0"] = "cdn.discordapp.com",
        ["Downloads:AllowInsecureLoopback"] = "true",
        ["Storage:DataDirectory"] = _data.Path,
        ["Retraining:Schedule"] = "",
        ["Retraining:NewLabelThreshold"] = "0",
        ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
        ["Model:Device"] = "cpu",
        ["Model:MaxBatchDelay"] = "00:00:00.001",
        ["Observability:Url"] = "", // tests run in parallel: no fixed port
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:Console:LogLevel:Default"] = "None",
    };

    /// <summary>A new, distinct JPEG each call.</summary>
    public byte[] NewPhoto()
    {
        var n = Interlocked.Increment(ref _imageCounter);
        using var image = new Image<Rgb24>(80, 60);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                image[x, y] = new Rgb24((byte)(n * 37 + x), (byte)(n * 91 + y), (byte)(n * 13 + x * y));
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return buffer.ToArray();
    }

    /// <summary>Dispatches MESSAGE_CREATE with one attachment served by the fake CDN; returns the message.</summary>
    public async Task<JsonObject> PostAsync(string channelId, string? guildId, byte[] bytes, string fileName = "skate.jpg", string contentType = "image/jpeg")
    {
        var attachment = Fake.CreateAttachment(channelId, fileName, bytes, contentType, 80, 60);
        var message = Fake.UserMessage(channelId, "look at these", [attachment], guildId);
        await Fake.DispatchAsync("MESSAGE_CREATE", message);
        return message;
    }

    /// <summary>The bot's reply to <paramref name="message"/>, once the fake has it (and, with <paramref name="reactions"/>, its reactions).</summary>
    public async Task<JsonObject> ReplyToAsync(JsonObject message, int reactions = 2)
    {
        var channel = (string)message["channel_id"]!;
        JsonObject? reply = null;
        await FakeDiscordServer.WaitUntilAsync(() => (reply = RepliesTo(message).FirstOrDefault()) is not null
            && Fake.BotReactions.Count(r => r.MessageId == (string)reply["id"]!) >= reactions, Patience, $"the reply in {channel}");
        return reply!;
    }

    public IReadOnlyList<JsonObject> RepliesTo(JsonObject message) =>
        Fake.MessagesIn((string)message["channel_id"]!).Where(m => (string?)m["message_reference"]?["message_id"] == (string)message["id"]!).ToList();

    /// <summary>Runs the host as <c>serve</c> does (<see cref="HostingAbstractionsHostExtensions.RunAsync"/>, which disposes it
    /// when it stops) and returns once it has stopped by itself; <paramref name="whileRunning"/> runs meanwhile.</summary>
    public async Task RunUntilItStopsAsync(Func<Task>? whileRunning = null)
    {
        _ranToEnd = true;
        var run = Host.RunAsync();
        if (whileRunning is not null) await whileRunning();
        await run.WaitAsync(Patience);
    }

    /// <summary>Waits until <paramref name="condition"/> holds (polling; no fixed sleeps).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what) => FakeDiscordServer.WaitUntilAsync(condition, Patience, what);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_ranToEnd && !_stopped)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await Host.StopAsync(timeout.Token);
                await ((IAsyncDisposable)Host).DisposeAsync();
            }
            await Fake.DisposeAsync();
        }
        finally
        {
            _data.Dispose();
        }
    }
}
