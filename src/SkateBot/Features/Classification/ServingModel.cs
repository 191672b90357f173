using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkateBot.Features.Models;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Devices;

namespace SkateBot.Features.Classification;

/// <summary>
/// Keeps the <see cref="ModelHost"/> serving the registry's champion. At start it loads the champion; afterwards it polls
/// the registry, so a promotion or rollback made by another process (the operator CLI) reaches the running service
/// without a restart. A model that fails to load leaves the previous one serving.
/// </summary>
public sealed partial class ServingModel(ModelHost host, ModelCatalog catalog, ComputeDevice device, TimeProvider time, ILogger<ServingModel> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    /// <summary>Whether a model serves in this process (a CLI command's host never loads one).</summary>
    public bool IsServing => host.CurrentVersion is not null;

    /// <summary>Loads the champion if it is not the one serving. Returns the serving version afterwards.</summary>
    public string? Refresh()
    {
        var champion = catalog.Champion();
        if (champion is null || champion.Value.Record.Version == host.CurrentVersion) return host.CurrentVersion;
        try
        {
            var loaded = SkateClassifier.Load(champion.Value.Path, device);
            host.Publish(loaded);
            // What serves it and why (int8, or float and the reason, e.g. a checkpoint without calibration), as README promises.
            LogServing(logger, champion.Value.Record.Version, loaded.Engine, loaded.EngineNote ?? "");
        }
        catch (Exception ex) when (ex is Vision.Checkpoints.CheckpointException or IOException)
        {
            LogLoadFailed(logger, champion.Value.Record.Version, ex.Message, host.CurrentVersion ?? "none");
        }
        return host.CurrentVersion;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Refresh() is null) LogNoModel(logger);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Refresh();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {Version} on {Engine} ({Note}).")]
    private static partial void LogServing(ILogger logger, string version, string engine, string note);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Version} could not be loaded ({Reason}); {Serving} keeps serving.")]
    private static partial void LogLoadFailed(ILogger logger, string version, string reason, string serving);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No trained model yet: images cannot be classified until `train` or a retrain promotes one.")]
    private static partial void LogNoModel(ILogger logger);
}
