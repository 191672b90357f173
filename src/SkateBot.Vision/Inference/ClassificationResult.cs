namespace SkateBot.Vision.Inference;

/// <summary>
/// The answer for one image. <see cref="Label"/> is a skate class or <see cref="Answering.Unsure"/>;
/// <see cref="BestClass"/> is the most likely skate class either way, and <see cref="Confidence"/> its calibrated probability.
/// </summary>
public sealed record ClassificationResult(string Label, double Confidence, IReadOnlyDictionary<string, double> Probabilities, string ModelVersion)
{
    public string BestClass { get; init; } = Label;

    /// <summary>Why the answer is unsure (not an inline skate, too close to call); null for a named class.</summary>
    public string? UnsureReason { get; init; }

    public bool IsUnsure => Label == Answering.Unsure;

    /// <summary>Views of the photo that went through the network (<see cref="ViewCascade"/>: 1 when the first decided).</summary>
    public int ViewsUsed { get; init; } = 1;

    /// <summary>Probability that the photo is not an inline skate at all (0 for a model without an <c>other</c> class).</summary>
    public double OtherProbability => Probabilities.TryGetValue(Answering.OtherClass, out var p) ? p : 0;

    /// <summary>Answered unsure because the photo does not look like an inline skate (not because two skate classes were
    /// too close to call): its certainty is <see cref="OtherProbability"/>, not <see cref="Confidence"/>.</summary>
    public bool LooksNotInline => IsUnsure && OtherProbability >= Answering.OtherAtLeast;

    /// <summary>Distance between the two most likely classes; small means the model hesitates.</summary>
    public double Margin
    {
        get
        {
            var top = Probabilities.Values.OrderByDescending(p => p).Take(2).ToArray();
            return top.Length < 2 ? top.FirstOrDefault() : top[0] - top[1];
        }
    }
}
