using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Storage;

namespace SkateBot.Features.Retraining;

/// <summary>Starts retraining on the cron schedule, and when enough labels arrived since the last training.</summary>
public sealed partial class RetrainingScheduler(
    RetrainingService service, SkateDatabase db, IOptions<RetrainingOptions> options, TimeProvider time, ILogger<RetrainingScheduler> logger,
    IEnumerable<IRetrainListener> listeners)
    : BackgroundService
{
    private DateTimeOffset _startedAt;

    /// <summary>
    /// Takes the moment labels count from here, on the caller's thread: since .NET 10 all of <see cref="ExecuteAsync"/>
    /// runs on a pool thread that may start seconds later on a loaded machine, and labels cast in between were not counted.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _startedAt = time.GetUtcNow();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var cron = string.IsNullOrWhiteSpace(settings.Schedule) ? null : CronExpression.Parse(settings.Schedule);
        var next = cron?.GetNextOccurrence(_startedAt.UtcDateTime);
        var since = db.Models.List().Select(m => m.CreatedAt).DefaultIfEmpty(_startedAt).Max();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.CheckInterval, time, stoppingToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            string? trigger = null;
            if (next is { } due && due <= now.UtcDateTime)
            {
                trigger = $"schedule ({settings.Schedule})";
                next = cron!.GetNextOccurrence(now.UtcDateTime);
            }
            else if (settings.NewLabelThreshold > 0 && db.Labels.ChangedSince(since) >= settings.NewLabelThreshold)
            {
                trigger = $"{settings.NewLabelThreshold}+ new labels";
            }
            if (service.IsRunning) continue;
            if (trigger is null)
            {
                // Idle: the next retrain's features for a new champion, in the background (a retrain takes over from it).
                // Not awaited; one already running holds the service's gate, so a second call returns at once, and it
                // logs rather than throws.
                if (service.ShouldPrecompute()) _ = service.PrecomputeFeaturesAsync(stoppingToken);
                continue;
            }
            var outcome = await service.RetrainAsync(trigger, ct: stoppingToken).ConfigureAwait(false);
            // Another process (the operator CLI) holding the retrain lock does not use up this trigger.
            if (outcome.Status == RetrainStatus.Busy) continue;
            since = now;
            LogOutcome(logger, trigger, outcome.Summary());
            foreach (var listener in listeners)
            {
                try { await listener.OnRetrainedAsync(trigger, outcome, stoppingToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // Listeners talk to outside services (Discord) with their own failure types; a report that could not
                    // be posted is logged and must not stop the schedule.
                    LogListenerFailed(logger, ex.GetType().Name, ex.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report an automatic retrain ({Type}): {Reason}")]
    private static partial void LogListenerFailed(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Automatic retraining ({Trigger}): {Summary}")]
    private static partial void LogOutcome(ILogger logger, string trigger, string summary);
}
