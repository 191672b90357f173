namespace SkateBot.Features.Retraining;

/// <summary>
/// When a challenger may replace the champion: its held-out error is not higher than the champion's (plus the configured
/// tolerance), and it gets at least the configured share of the corrected images right.
/// </summary>
public static class PromotionRule
{
    public static (bool Promote, string Reason) Decide(double? championError, double challengerError,
        double? correctedAccuracy, int correctedCount, RetrainingOptions options)
    {
        if (!double.IsFinite(challengerError)) return (false, "the challenger could not be evaluated on the held-out set.");
        if (correctedCount > 0 && correctedAccuracy < options.MinCorrectedAccuracy)
            return (false, $"it gets only {correctedAccuracy:P0} of the corrected images right (needs {options.MinCorrectedAccuracy:P0}).");
        if (championError is { } champ && double.IsFinite(champ) && challengerError > champ + options.PromotionTolerance + 1e-12)
            return (false, $"its held-out error {challengerError:P1} is higher than the champion's {champ:P1}.");
        return (true, championError is null ? "there was no champion." : "it is not worse on the held-out set.");
    }
}
