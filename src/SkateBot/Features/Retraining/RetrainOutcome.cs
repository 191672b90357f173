namespace SkateBot.Features.Retraining;

public static class RetrainStatus
{
    public const string Promoted = "promoted", Rejected = "rejected", Failed = "failed", Cancelled = "cancelled", Busy = "busy";
}

/// <summary>What a retrain did, for the CLI, Discord's /retrain answer and the run report.</summary>
public sealed record RetrainOutcome
{
    public required string Status { get; init; }
    public required string Reason { get; init; }
    public string? Version { get; init; }
    public string? ChampionVersion { get; init; }
    public double? ChampionError { get; init; }
    public double? ChallengerError { get; init; }
    /// <summary>The trusted part of the held-out set: base-folder images and frozen labels, which no vote can rewrite.</summary>
    public int TrustedCount { get; init; }
    public double? ChampionTrustedError { get; init; }
    public double? ChallengerTrustedError { get; init; }
    /// <summary>The labelled part: held-out labelled images not (yet) trusted, with their current labels.</summary>
    public int LabelledCount { get; init; }
    public double? ChampionLabelledError { get; init; }
    public double? ChallengerLabelledError { get; init; }
    /// <summary>Labelled held-out images that joined the trusted part at the start of this retrain.</summary>
    public int NewlyTrusted { get; init; }
    public double? CorrectedAccuracy { get; init; }
    public int CorrectedCount { get; init; }
    public int HoldoutCount { get; init; }
    public int TrainCount { get; init; }
    public string? ReportDirectory { get; init; }
    /// <summary>The challenger's confusion matrix on the held-out set (attached to Discord answers).</summary>
    public string? ConfusionMatrixPng { get; init; }
    public double Seconds { get; init; }

    public string Summary() => Status switch
    {
        RetrainStatus.Busy => "A retraining is already running; try again when it has finished.",
        RetrainStatus.Promoted or RetrainStatus.Rejected =>
            $"{Version} {Status}: held-out error {Percent(ChallengerError)} vs champion {ChampionVersion ?? "none"} {Percent(ChampionError)}" +
            $" (trusted part {Percent(ChallengerTrustedError)} vs {Percent(ChampionTrustedError)} on {TrustedCount}," +
            $" labelled part {Percent(ChallengerLabelledError)} vs {Percent(ChampionLabelledError)} on {LabelledCount})" +
            (CorrectedCount > 0 ? $", {Percent(CorrectedAccuracy)} of {CorrectedCount} corrected images right" : "") +
            $" ({TrainCount} training images, {HoldoutCount} held out, {Seconds:0}s). {Reason}",
        _ => $"Retraining {Status}: {Reason}",
    };

    private static string Percent(double? v) => v is { } x && double.IsFinite(x) ? $"{x:P1}" : "n/a";
}
