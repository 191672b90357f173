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
    private readonly Gauge _postsWaiting;
    private readonly Counter _labels;
    private readonly Counter _sessions;
    private readonly Counter _requests;
    private readonly Counter _rateLimited;
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
        _labels = factory.CreateCounter("skatebot_label_votes_total",
            "People's reactions recorded as label votes (on replies and review posts), by kind (vote, withdrawal, not_recorded).", ["kind"]);
        _sessions = factory.CreateCounter("skatebot_gateway_sessions_total",
            "Discord gateway sessions started (identify: READY, a new session) or resumed (resume: RESUMED) by this process.", ["kind"]);
        _requests = factory.CreateCounter("skatebot_api_requests_total",
            "HTTP requests to Discord's and Reddit's APIs, by service and status code (error: no response).", ["service", "status"]);
        _rateLimited = factory.CreateCounter("skatebot_api_rate_limited_total",
            "429 answers from Discord or Reddit: each one is a rate-limit wait before the retry.", ["service"]);
        _modelInfo = factory.CreateGauge("skatebot_model_info", "1 for the model version serving now (no series while none is loaded).", ["version"]);
        _postsWaiting = factory.CreateGauge("skatebot_discord_posts_waiting",
            "Review and feed posts queued because Discord has not taken them yet (an outage, a restart); sent after each Reddit poll.");
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

    public void LabelVote(string kind) => _labels.WithLabels(kind).Inc();

    public void GatewaySession(string kind) => _sessions.WithLabels(kind).Inc();

    public void ApiRequest(string service, int? status)
    {
        _requests.WithLabels(service, status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "error").Inc();
        if (status == 429) _rateLimited.WithLabels(service).Inc();
    }

    /// <summary>How many review and feed posts wait in the queue (set before each scrape).</summary>
    public void PostsWaiting(int count) => _postsWaiting.Set(count);

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
