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
        // A part of a handful of images cannot tell two models apart (one photo moves it by 20-100 points): it is
        // reported but does not decide. When both parts are that small, the whole held-out set decides.
        var min = options.MinPartImages;
        if (trusted.Count >= min) Compare("trusted", trusted);
        if (labelled.Count >= min) Compare("labelled", labelled);
        if (trusted.Count < min && labelled.Count < min) Compare("whole", Combined(trusted, labelled));
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

    private static PartScores Combined(PartScores a, PartScores b)
    {
        static double Errors(double? rate, int n) => rate is { } r && double.IsFinite(r) ? r * n : 0;
        var n = a.Count + b.Count;
        if (n == 0) return PartScores.Empty;
        double? champion = a.Champion is null && b.Champion is null ? null : (Errors(a.Champion, a.Count) + Errors(b.Champion, b.Count)) / n;
        return new PartScores(n, champion, (Errors(a.Challenger, a.Count) + Errors(b.Challenger, b.Count)) / n);
    }

    private static string Images(int n) => n == 1 ? "1 image" : $"{n} images";
}
