namespace SkateBot.Storage;

/// <summary>One classification of one image by one model version.</summary>
public sealed record PredictionRecord
{
    /// <summary>Database id, increasing in insertion order.</summary>
    public long Id { get; init; }

    /// <summary>The image (SHA-256 of the original bytes).</summary>
    public required string ImageSha { get; init; }

    /// <summary>The registry version of the model that made the prediction.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>The class with the highest probability.</summary>
    public required string PredictedClass { get; init; }

    /// <summary>Probability per class name.</summary>
    public Dictionary<string, double> Probabilities { get; init; } = [];

    /// <summary>When the prediction was recorded.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Free text saying where it was made, e.g. "discord:channel/message" or "reddit:t3_abc".</summary>
    public string? Context { get; init; }
}
