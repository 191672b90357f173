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
    /// <summary>How photos become input (<see cref="Imaging.InputViews"/>); empty in older checkpoints, which cropped.</summary>
    public string Preprocessing { get; init; } = "";
    /// <summary>Fitted on the validation set (<see cref="Calibration.Temperature"/>); 1 in older checkpoints.</summary>
    public double Temperature { get; init; } = 1;
    /// <summary>Below this calibrated probability no skate class is named (null: <see cref="Inference.Answering.DefaultUnsureBelow"/>).</summary>
    public double? UnsureBelow { get; init; }
    /// <summary>At or above this calibrated probability the first view alone decides a several-view photo
    /// (<see cref="Inference.ViewCascade"/>); null: <see cref="Inference.ViewCascade.DefaultFirstViewAbove"/>; 1: every view always.</summary>
    public double? FirstViewAbove { get; init; }
    /// <summary>[min, max] of each activation the int8 export quantizes (<see cref="Export.ActivationCalibration"/>), measured
    /// on training photos when the checkpoint was written; null in older checkpoints, which can only be served in float.</summary>
    public IReadOnlyDictionary<string, float[]>? ActivationRanges { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = TimeProvider.System.GetUtcNow();

    /// <summary>The temperature answers use: <see cref="Temperature"/>, or 1 where an older or damaged header has none
    /// that is positive. The one rule for <c>predict</c>, <c>eval</c>, the service and the retrain gate.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveTemperature => Temperature is > 0 and var t && double.IsFinite(t) ? t : 1;

    /// <summary>The unsure threshold answers use: <see cref="UnsureBelow"/>, else <see cref="Inference.Answering.DefaultUnsureBelow"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveUnsureBelow => UnsureBelow ?? Inference.Answering.DefaultUnsureBelow;

    /// <summary>The first-view threshold answers use: <see cref="FirstViewAbove"/>, else <see cref="Inference.ViewCascade.DefaultFirstViewAbove"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveFirstViewAbove => FirstViewAbove is { } v && double.IsFinite(v) ? v : Inference.ViewCascade.DefaultFirstViewAbove;
}

/// <summary>A checkpoint that cannot be used: corrupt, truncated, another architecture, or unreadable.</summary>
public sealed class CheckpointException(string path, string reason, Exception? inner = null)
    : Exception($"{Path.GetFileName(path)}: {reason}", inner)
{
    public string CheckpointPath { get; } = path;
}
