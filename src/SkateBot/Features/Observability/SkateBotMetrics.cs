using Prometheus;

namespace SkateBot.Features.Observability;

/// <summary>
/// The bot's Prometheus metrics, in a registry of its own (not prometheus-net's static default), so two hosts in one
/// process (tests, the sandbox) never count into each other. Names follow
/// https://prometheus.io/docs/practices/naming/: <c>skatebot_</c> prefix, <c>_total</c> counters, base units.
/// </summary>
public sealed class SkateBotMetrics
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Counter _predictions;
    private readonly Histogram _latency;
    private readonly Counter _retrains;
    private readonly Gauge _modelInfo;
    private string? _servingVersion;

    public SkateBotMetrics(TimeProvider time)
    {
        _time = time;
        var factory = Metrics.WithCustomRegistry(Registry);
        _predictions = factory.CreateCounter("skatebot_predictions_total",
            "Images classified, by where they came from (discord, reddit, cli...) and the answer (a class or unsure).", ["source", "answer"]);
        _latency = factory.CreateHistogram("skatebot_classification_duration_seconds",
            "From an image's bytes to its recorded prediction: decode, store, wait for a batch, forward pass.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });
        _retrains = factory.CreateCounter("skatebot_retrains_total",
            "Retrains run in this process, by outcome (promoted, rejected, failed, cancelled).", ["outcome"]);
        _modelInfo = factory.CreateGauge("skatebot_model_info", "1 for the model version serving now (no series while none is loaded).", ["version"]);
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>A start time for <see cref="Classified"/>.</summary>
    public long Start() => _time.GetTimestamp();

    public void Classified(string source, string answer, long? started)
    {
        _predictions.WithLabels(source, answer).Inc();
        if (started is { } s) _latency.Observe(_time.GetElapsedTime(s).TotalSeconds);
    }

    public void Retrained(string outcome) => _retrains.WithLabels(outcome).Inc();

    /// <summary>Moves the model-info series to <paramref name="version"/> (called before each scrape).</summary>
    public void ServingModel(string? version)
    {
        lock (_lock)
        {
            if (version == _servingVersion) return;
            if (_servingVersion is not null) _modelInfo.RemoveLabelled(_servingVersion);
            if (version is not null) _modelInfo.WithLabels(version).Set(1);
            _servingVersion = version;
        }
    }
}
