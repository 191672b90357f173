using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkateBot.Cli;
using SkateBot.Features.Datasets;
using SkateBot.Sandbox.Discord;
using SkateBot.Storage;

namespace SkateBot.Bench.EndToEnd;

/// <summary>
/// The Discord stand-in on 127.0.0.1 (a random port) and the real bot, built by <see cref="ServeCommand.Build"/> from the
/// user's configuration (config/appsettings*.json, SKATEBOT_ variables) with only these changed: the stand-in's address
/// and token, the watched channels and guild, the loopback download switch, its own data folder (whose registry gets
/// the benchmark's checkpoint as champion, with data/sample as its base folder so a retrain has something to train on),
/// no cron retraining, no metrics port and console logging at Warning.
/// </summary>
internal sealed class BotUnderTest : IAsyncDisposable
{
    public const string Guild = "400000000000000001";
    public const long FirstChannel = 500_000_000_000_000_100;
    private readonly string _data;
    private readonly bool _deleteData;

    private BotUnderTest(FakeDiscordServer fake, IHost host, string data, bool deleteData, IReadOnlyList<string> channels)
    {
        Fake = fake;
        Host = host;
        _data = data;
        _deleteData = deleteData;
        Channels = channels;
    }

    public FakeDiscordServer Fake { get; }
    public IHost Host { get; }
    public IReadOnlyList<string> Channels { get; }
    public string DataDirectory => _data;

    public static async Task<BotUnderTest> StartAsync(IConfiguration baseConfiguration, string checkpoint, string? samples, int channelCount,
        BenchOptions options, CancellationToken ct)
    {
        var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromSeconds(41.25) }, ct);
        if (options.DiscordLimits)
        {
            fake.SetBucket("POST", "/channels/*/messages", "bench-messages", 5, TimeSpan.FromSeconds(5));
            fake.SetBucket("PUT", "/channels/*/messages/*/reactions/*/@me", "bench-reactions", 1, TimeSpan.FromMilliseconds(250));
        }
        var deleteData = options.KeepData is null;
        var data = options.KeepData is { } keep ? Path.GetFullPath(keep)
            : Path.Combine(Path.GetTempPath(), "skatebot-bench-e2e", "run-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var channels = Enumerable.Range(0, channelCount).Select(i => (FirstChannel + i).ToString(CultureInfo.InvariantCulture)).ToArray();
        var overrides = new Dictionary<string, string?>
        {
            ["Discord:Token"] = fake.Options.BotToken,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Discord:GuildId"] = Guild,
            ["Downloads:AllowInsecureLoopback"] = "true",
            ["Storage:DataDirectory"] = data,
            ["Retraining:Schedule"] = "",
            ["Retraining:NewLabelThreshold"] = "0",
            ["Observability:Url"] = "",
            ["Reddit:ClientId"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // The user's own channel list is replaced, not merged: index keys beyond ours would otherwise survive.
        var configuredChannels = baseConfiguration.GetSection("Discord:Channels").GetChildren().Count();
        for (var i = 0; i < Math.Max(channels.Length, configuredChannels); i++)
            overrides[$"Discord:Channels:{i}"] = i < channels.Length ? channels[i] : channels[0];
        var configuration = new ConfigurationBuilder().AddConfiguration(baseConfiguration).AddInMemoryCollection(overrides).Build();
        var host = ServeCommand.Build(configuration, []);
        var bot = new BotUnderTest(fake, host, data, deleteData, channels);
        var db = host.Services.GetRequiredService<SkateDatabase>();
        var version = db.Models.NextVersion();
        db.Models.Register(new ModelVersionRecord
        {
            Version = version, FilePath = checkpoint, TrainingFingerprint = "skatebot-bench-e2e",
            BaseFolders = samples is null ? [] : [BaseFolders.Record(samples)],
        });
        db.Models.Promote(version, "end-to-end benchmark");
        await host.StartAsync(ct);
        await FakeDiscordServer.WaitUntilAsync(() => fake.RequestsTo("PUT", "/applications/*/guilds/*/commands").Count > 0,
            TimeSpan.FromMinutes(5), "the bot to identify and register its commands");
        return bot;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try { await Host.StopAsync(timeout.Token); }
            catch (OperationCanceledException) { }
        }
        if (Host is IAsyncDisposable disposable) await disposable.DisposeAsync();
        else Host.Dispose();
        await Fake.DisposeAsync();
        if (_deleteData)
        {
            try { Directory.Delete(_data, recursive: true); }
            catch (IOException) { }
        }
    }
}
