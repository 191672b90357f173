namespace SkateBot.Vision.Inference;

/// <summary>
/// Turns calibrated class probabilities into the answer people see: a skate class, or <see cref="Unsure"/> when the most
/// likely class is <see cref="OtherClass"/> (not an inline skate at all) or no skate class is likely enough.
/// </summary>
public static class Answering
{
    /// <summary>A training sub-folder with this name, in any folder, holds photos of things that are not inline skates.</summary>
    public const string OtherClass = "other";

    /// <summary>The answer's label when the model will not name a class.</summary>
    public const string Unsure = "unsure";

    /// <summary>Below this share of the skate classes' probability the best skate class is "too close to call".</summary>
    public const double DefaultUnsureBelow = 0.6;

    /// <summary>At or above this probability of <see cref="OtherClass"/> the photo is "not an inline skate".</summary>
    public const double OtherAtLeast = 0.5;

    public static bool IsSkateClass(string name) => !string.Equals(name, OtherClass, StringComparison.Ordinal);

    /// <summary>
    /// Two questions in turn: is this an inline skate at all (unsure when <see cref="OtherClass"/> has at least
    /// <see cref="OtherAtLeast"/>), and if so which kind (unsure when the best skate class has less than
    /// <paramref name="unsureBelow"/> of the skate classes' probability). The confidence given is the best skate class's
    /// calibrated probability.
    /// </summary>
    public static (string Label, string BestClass, double Confidence, string? Reason) Decide(
        IReadOnlyList<string> classes, IReadOnlyList<double> probabilities, double unsureBelow = DefaultUnsureBelow)
    {
        var best = -1;
        double skateTotal = 0, other = 0;
        for (var c = 0; c < classes.Count; c++)
        {
            if (!IsSkateClass(classes[c])) { other += probabilities[c]; continue; }
            skateTotal += probabilities[c];
            if (best < 0 || probabilities[c] > probabilities[best]) best = c;
        }
        if (best < 0) return (Unsure, classes[0], 0, "the model knows no skate class");
        var bestClass = classes[best];
        var confidence = probabilities[best];
        if (other >= OtherAtLeast) return (Unsure, bestClass, confidence, "this does not look like an inline skate");
        if (skateTotal <= 0 || confidence / skateTotal < unsureBelow) return (Unsure, bestClass, confidence, "too close to call");
        return (bestClass, bestClass, confidence, null);
    }
}
