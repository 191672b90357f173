namespace SkateBot.Vision.Inference;

/// <summary>The answer for one image: best class, its probability, all probabilities, and the model that gave it.</summary>
public sealed record ClassificationResult(string Label, double Confidence, IReadOnlyDictionary<string, double> Probabilities, string ModelVersion)
{
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
