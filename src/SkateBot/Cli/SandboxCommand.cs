using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkateBot.Configuration;
using SkateBot.Features.Models;
using SkateBot.Features.RedditScanning;
using SkateBot.Sandbox.Site;
using SkateBot.Storage;

namespace SkateBot.Cli;

/// <summary>
/// <c>sandbox</c>: the whole bot on this machine. A page on 127.0.0.1 with a local Discord and a local Reddit
/// (src/SkateBot.Sandbox), and the real bot built exactly as <c>serve</c> builds it (<see cref="ServeCommand.Build"/>), with
/// only the stand-ins' addresses and credentials, the loopback download switch and the data folder changed. With no model
/// yet it first trains one with <c>train</c> while the page already shows the progress; what people post meanwhile is
/// answered once the bot is up.
/// </summary>
public static class SandboxCommand
{
    public const int DefaultPort = 5180;
    public const string DefaultData = "data/sandbox";

    public static Command Create(Func<IConfiguration> configuration, TextWriter output, TextWriter error)
    {
        var port = new Option<string>("--port") { Description = $"Port on 127.0.0.1 for the page and the stand-ins (default {DefaultPort}; 0 picks a free one)." };
        var data = new Option<string>("--data") { Description = $"Data folder: database, models, runs (default {DefaultData}/)." };
        var command = new Command("sandbox", "The bot, a local Discord and a local Reddit, in your browser (127.0.0.1 only).") { port, data };
        command.SetAction((parse, ct) => RunAsync(configuration(), parse.GetValue(port), parse.GetValue(data), output, error, ct));
        return command;
    }

    public static async Task<int> RunAsync(IConfiguration configuration, string? portText, string? dataDirectory, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        // Ctrl+C and SIGTERM stop the sandbox at any moment, also while the bot is still starting (a signal that came
        // before the host's own console lifetime was listening used to leave the process running).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(stop));
        var ct = stop.Token;
        if (!TryParsePort(portText, out var port))
        {
            error.WriteLine($"error: --port must be a whole number from 0 to 65535, not '{portText}'.");
            return CliApp.ExitUsage;
        }
        SandboxSite site;
        try
        {
            site = await SandboxSite.StartAsync(new SandboxSiteOptions { Port = port, Subreddits = PageSubreddits(configuration) }, ct);
        }
        catch (IOException ex)
        {
            var reason = ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("in use", StringComparison.OrdinalIgnoreCase)
                ? "the port is already in use" : ex.Message;
            error.WriteLine($"error: cannot listen on 127.0.0.1:{port}: {reason} (choose another with --port).");
            return CliApp.ExitError;
        }
        await using (site)
        {
            var config = BotConfiguration(configuration, site, dataDirectory ?? DefaultData);
            output.WriteLine($"SkateBot sandbox: {site.Url}  (open it in a browser; Ctrl+C stops it)");
            output.WriteLine($"Data: {Path.GetFullPath(config[$"{StorageOptions.Section}:DataDirectory"]!)}");
            output.Flush();
            try
            {
                if (!HasChampion(config) && await TrainFirstModelAsync(config, site.Status, error, ct) is var trained and not 0)
                    return trained;
                site.Status.Set("starting", "Starting the bot…");
                var host = ServeCommand.Build(config, []);
                var exitCode = host.Services.GetRequiredService<Features.ExitCode>();
                try
                {
                    await host.StartAsync(ct);
                    site.Status.Set("ready", "The bot is online: post a photo in #skate-photos, or on the subreddit.");
                    await host.WaitForShutdownAsync(ct);
                }
                finally
                {
                    if (host is IAsyncDisposable disposable) await disposable.DisposeAsync();
                    else host.Dispose();
                }
                return exitCode.Value;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 0; // Ctrl+C while training or starting
            }
        }
    }

    /// <summary>The subreddits the page lets people post to: every one the bot scans (<c>Reddit:Subreddits</c>, then
    /// <c>Reddit:NotInlineSubreddits</c>), or r/rollerblading when none is set.</summary>
    public static IReadOnlyList<string> PageSubreddits(IConfiguration configuration)
    {
        var listed = (configuration.GetSection(RedditScanningOptions.Section).Get<RedditScanningOptions>() ?? new()).DistinctSubreddits();
        return listed.Count > 0 ? listed : ["rollerblading"];
    }

    /// <summary>The user's configuration with the sandbox's changes on top: the stand-ins' addresses and credentials, the
    /// loopback download switch, the data folder and a Reddit poll short enough to watch.</summary>
    public static IConfiguration BotConfiguration(IConfiguration configuration, SandboxSite site, string dataDirectory)
    {
        var overrides = new Dictionary<string, string?>(site.BotSettings)
        {
            [$"{StorageOptions.Section}:DataDirectory"] = dataDirectory,
            ["Downloads:AllowInsecureLoopback"] = "true",
            ["Reddit:PollInterval"] = "00:00:05",
            // A free port, so a sandbox runs beside serve (or another sandbox); the log line gives the address.
            ["Observability:Url"] = string.IsNullOrWhiteSpace(Features.Observability.ObservabilityOptions.EffectiveUrl(configuration)) ? "" : "http://127.0.0.1:0",
        };
        return new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
    }

    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true;
        try { stop.Cancel(); }
        catch (ObjectDisposedException) { } // the signal raced the end of the command: it is stopping anyway
    };

    private static bool TryParsePort(string? text, out int port)
    {
        port = DefaultPort;
        if (text is null) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
    }

    private static bool HasChampion(IConfiguration config)
    {
        using var ctx = CliContext.Create(config, TextWriter.Null, TextWriter.Null);
        return ctx.Catalog.Champion() is not null;
    }

    /// <summary>Runs <c>train</c> (the same command a user would run) on a worker thread, its lines going to the page.</summary>
    private static async Task<int> TrainFirstModelAsync(IConfiguration config, SandboxStatus status, TextWriter error, CancellationToken ct)
    {
        status.Set("training", "No model yet: training the first one with the train command (on the drawn samples unless Training:BaseFolders is set; about ten minutes on 2 cores with the default settings). Post photos meanwhile; they are answered when it is ready.");
        using var lines = new LineWriter(status.AddLine);
        var code = await Task.Run(() => CliApp.RunAsync(["train"], lines, lines, config, ct), ct);
        ct.ThrowIfCancellationRequested();
        if (code == 0) return 0;
        status.Set("failed", $"Training the first model failed: {lines.Last}");
        error.WriteLine($"error: training the first model failed: {lines.Last}");
        return code;
    }

    /// <summary>Hands each complete line written to it to <paramref name="onLine"/>.</summary>
    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();
        private readonly Lock _lock = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public string Last { get; private set; } = "";

        public override void Write(char value)
        {
            lock (_lock)
            {
                if (value == '\n')
                {
                    var line = _line.ToString().TrimEnd('\r');
                    _line.Clear();
                    if (line.Length == 0) return;
                    Last = line;
                    onLine(line);
                }
                else _line.Append(value);
            }
        }
    }
}
