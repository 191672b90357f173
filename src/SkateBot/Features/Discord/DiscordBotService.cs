using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Downloads;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Discord;

/// <summary>
/// Runs the gateway connection and routes its events: photos and slash commands are handled concurrently (a slow
/// download must not delay the 3-second interaction deadline), reactions in order. A fatal gateway close (bad token,
/// disallowed intents…) stops the service with a message that says what to fix. On shutdown (SIGTERM) the gateway closes
/// first (resumable), no new event is taken, and the photos and commands already being handled run to the end on their own
/// token, which is cancelled only when the host's shutdown timeout is about to run out.
/// </summary>
public sealed partial class DiscordBotService(
    DiscordGatewayClient gateway, DiscordRestClient rest, PhotoReplyHandler photos, CorrectionHandler corrections,
    InteractionHandler interactions, ReactionCatchUp catchUp, IOptions<DiscordOptions> options, IHostApplicationLifetime lifetime, ExitCode exitCode, ILogger<DiscordBotService> logger,
    Observability.SkateBotMetrics? metrics = null, PhotoCatchUp? missedPhotos = null, TimeProvider? time = null)
    : BackgroundService
{
    public const int FatalExitCode = 2;

    private readonly List<Task> running = [];
    private readonly CancellationTokenSource inFlight = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // cancellationToken fires when the host's shutdown timeout is up: only then are unfinished replies abandoned.
        await using var abandon = cancellationToken.Register(inFlight.Cancel);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        inFlight.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pump = PumpAsync(stoppingToken);
        try
        {
            await gateway.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (DiscordGatewayFatalException ex)
        {
            LogFatal(logger, ex.CloseCode, ex.Message);
            exitCode.Fail(FatalExitCode);
            lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        try { await pump.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (DiscordGatewayFatalException) { } // the dispatch stream ends with the fatal close handled above; rethrowing made the host report a crash
        Task[] left;
        lock (running) left = [.. running];
        await Task.WhenAll(left).ConfigureAwait(false);
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        await foreach (var dispatch in gateway.ReadDispatchesAsync(ct).ConfigureAwait(false))
        {
            switch (dispatch.EventName)
            {
                // Payloads are decoded inside the guard: one event that does not decode must not end the pump (the bot
                // would stay connected but deaf).
                case GatewayEvents.Resumed:
                    metrics?.GatewaySession("resume");
                    break;
                case GatewayEvents.Ready:
                    var sessionStarted = (time ?? TimeProvider.System).GetUtcNow();
                    metrics?.GatewaySession("identify");
                    await Guarded(() => RegisterCommandsAsync(dispatch.AsReady(), ct), "READY").ConfigureAwait(false);
                    // A new session never gets the reactions made before it: read them (in the background; live events go on).
                    // On the stopping token: a shutdown ends it at once, and the next start reads again.
                    Track(() => catchUp.RunAsync(gateway.CurrentUser?.Id, ct), "reaction catch-up");
                    // Nor the messages: photos posted while the bot was away are answered now; reading stops with the host,
                    // but a photo being answered finishes, as live ones do (it may be one the gateway delivers meanwhile).
                    if (missedPhotos is not null) Track(() => missedPhotos.RunAsync(ct, inFlight.Token, sessionStarted), "photo catch-up");
                    break;
                case GatewayEvents.MessageCreate:
                    Track(() => photos.HandleAsync(dispatch.AsMessageCreate(), inFlight.Token), "message");
                    break;
                case GatewayEvents.InteractionCreate:
                    Track(() => interactions.HandleAsync(dispatch.AsInteraction(), inFlight.Token), "interaction");
                    break;
                case GatewayEvents.MessageReactionAdd or GatewayEvents.MessageReactionRemove:
                    await Guarded(() => corrections.HandleAsync(dispatch.AsReaction(), dispatch.EventName == GatewayEvents.MessageReactionAdd,
                        gateway.CurrentUser?.Id, ct), "reaction").ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task RegisterCommandsAsync(Ready ready, CancellationToken ct)
    {
        var appId = ready.Application?.Id ?? gateway.ApplicationId;
        if (string.IsNullOrEmpty(appId)) return;
        var guild = options.Value.GuildId;
        await Guarded(async () =>
        {
            if (string.IsNullOrWhiteSpace(guild)) await rest.BulkOverwriteGlobalCommandsAsync(appId, SlashCommands.All, ct).ConfigureAwait(false);
            else await rest.BulkOverwriteGuildCommandsAsync(appId, guild, SlashCommands.All, ct).ConfigureAwait(false);
            LogRegistered(logger, SlashCommands.All.Count, string.IsNullOrWhiteSpace(guild) ? "globally" : $"in guild {guild}");
        }, "command registration").ConfigureAwait(false);
    }

    private void Track(Func<Task> work, string what)
    {
        var task = Guarded(work, what);
        lock (running)
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(task);
        }
    }

    /// <summary>The expected failures of one event (Discord API errors, network, bad images, a payload that does not decode)
    /// are logged; the bot goes on.</summary>
    private async Task Guarded(Func<Task> work, string what)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or DownloadException or ImageLoadException
            or ModelNotReadyException or IOException or TaskCanceledException or JsonException)
        {
            LogEventFailed(logger, what, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord closed the connection with code {Code}: {Advice}")]
    private static partial void LogFatal(ILogger logger, int code, string advice);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} slash commands {Scope}.")]
    private static partial void LogRegistered(ILogger logger, int count, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling a Discord {What} failed ({Type}): {Reason}")]
    private static partial void LogEventFailed(ILogger logger, string what, string type, string reason);
}
