using SkateBot.Storage;
using SkateBot.Vision.Evaluation;

namespace SkateBot.Features.Retraining;

/// <summary>Champion and challenger measured on the held-out set, whole and by part, and the challenger on the corrected images.</summary>
public sealed record RetrainJudgement(double ChallengerError, double? ChampionError, PartScores Trusted, PartScores Labelled, double? CorrectedAccuracy)
{
    /// <summary>One evaluation per model of the whole held-out set (reports in runDir/challenger and runDir/champion), split by part.</summary>
    public static RetrainJudgement Measure(string challengerPath, string version, (ModelVersionRecord Record, string Path)? champion,
        RetrainingData data, IModelEvaluator evaluator, string runDir, IProgress<string>? progress, CancellationToken ct)
    {
        var challenger = evaluator.Evaluate(challengerPath, data.Holdout, Path.Combine(runDir, "challenger"), $"{version} (challenger) on the held-out set", ct);
        EvaluationResult? championResult = null;
        if (champion is { } c)
        {
            try { championResult = evaluator.Evaluate(c.Path, data.Holdout, Path.Combine(runDir, "champion"), $"{c.Record.Version} (champion) on the held-out set", ct); }
            catch (ArgumentException ex) { progress?.Report($"The champion cannot be scored on the new classes: {ex.Message}"); }
        }
        double? correctedAccuracy = data.Corrected.Count == 0 ? null
            : 1 - evaluator.Evaluate(challengerPath, data.Corrected, null, null, ct).ErrorRate;
        return new RetrainJudgement(challenger.ErrorRate, championResult?.ErrorRate,
            HoldoutScores.Of(data.Trusted, challenger, championResult), HoldoutScores.Of(data.Labelled, challenger, championResult), correctedAccuracy);
    }

    /// <summary>What the registry keeps with the challenger (no entry for a figure that could not be measured).</summary>
    public Dictionary<string, double> Metrics(int holdoutCount) => new Dictionary<string, double>
    {
        ["holdout_error_rate"] = ChallengerError,
        ["holdout_images"] = holdoutCount,
        ["champion_holdout_error_rate"] = ChampionError ?? double.NaN,
        ["trusted_error_rate"] = Trusted.Challenger,
        ["trusted_images"] = Trusted.Count,
        ["champion_trusted_error_rate"] = Trusted.Champion ?? double.NaN,
        ["labelled_error_rate"] = Labelled.Challenger,
        ["labelled_images"] = Labelled.Count,
        ["champion_labelled_error_rate"] = Labelled.Champion ?? double.NaN,
        ["corrected_accuracy"] = CorrectedAccuracy ?? double.NaN,
    }.Where(kv => double.IsFinite(kv.Value)).ToDictionary();
}
