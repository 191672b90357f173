namespace SkateBot.Vision.Checkpoints;

/// <summary>What a checkpoint says about itself, besides the weights.</summary>
public sealed record CheckpointInfo
{
    public required string Version { get; init; }
    public string Architecture { get; init; } = Network.SkateNet.Architecture;
    public required IReadOnlyList<string> Classes { get; init; }
    public required string TrainingFingerprint { get; init; }
    public string InputConvention { get; init; } = "";
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    public string? ParentVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A checkpoint that cannot be used: corrupt, truncated, another architecture, or unreadable.</summary>
public sealed class CheckpointException(string path, string reason, Exception? inner = null)
    : Exception($"{Path.GetFileName(path)}: {reason}", inner)
{
    public string CheckpointPath { get; } = path;
}
