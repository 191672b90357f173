namespace SkateBot.Features.Retraining;

/// <summary>Champion and challenger error rates on one part of the held-out set.</summary>
/// <param name="Count">Images of the part that were evaluated.</param>
/// <param name="Champion">The champion's error; null without a champion (or one that cannot be scored on these classes).</param>
/// <param name="Challenger">The challenger's error; NaN when the part is empty.</param>
public sealed record PartScores(int Count, double? Champion, double Challenger)
{
    public static PartScores Empty { get; } = new(0, null, double.NaN);
}

/// <summary>
/// When a challenger may replace the champion: on the trusted part of the held-out set (classes no later label can
/// rewrite) AND on the labelled part (current labels), its error is not higher than the champion's (plus the configured
/// tolerance), and it gets at least the configured share of the corrected images right. Every rule that fails is named.
/// </summary>
public static class PromotionRule
{
    public static (bool Promote, string Reason) Decide(PartScores trusted, PartScores labelled,
        double? correctedAccuracy, int correctedCount, RetrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(trusted.Challenger) && !double.IsFinite(labelled.Challenger))
            return (false, "the challenger could not be evaluated on the held-out set.");
        var failures = new List<string>();
        Compare("trusted", trusted);
        Compare("labelled", labelled);
        if (correctedCount > 0 && correctedAccuracy < options.MinCorrectedAccuracy)
            failures.Add($"it gets only {correctedAccuracy:P0} of the corrected images right (needs {options.MinCorrectedAccuracy:P0})");
        if (failures.Count > 0) return (false, string.Join("; ", failures) + ".");
        if (trusted.Champion is null && labelled.Champion is null) return (true, "there was no champion.");
        return (true, $"it is not worse on the trusted ({Images(trusted.Count)}) or the labelled ({Images(labelled.Count)}) part of the held-out set.");

        void Compare(string part, PartScores s)
        {
            if (s.Champion is { } champ && double.IsFinite(champ) && double.IsFinite(s.Challenger) && s.Challenger > champ + options.PromotionTolerance + 1e-12)
                failures.Add($"its {part} held-out error {s.Challenger:P1} ({Images(s.Count)}) is higher than the champion's {champ:P1}");
        }
    }

    private static string Images(int n) => n == 1 ? "1 image" : $"{n} images";
}
