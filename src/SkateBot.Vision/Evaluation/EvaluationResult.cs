using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Evaluation;

/// <summary>An image to evaluate: its id, true class, preprocessed input and (for top-loss thumbnails) the image.</summary>
public sealed record EvaluationSample(string Id, int ClassIndex, float[] Input, Image<Rgb24>? Image = null);

public sealed record ItemPrediction(string Id, int Actual, int Predicted, double[] Probabilities, double Loss)
{
    public bool Correct => Actual == Predicted;
    public double PredictedProbability => Probabilities[Predicted];
}

public sealed record ClassFigures(string Class, int Support, double Precision, double Recall);

/// <summary>Metrics of one model on one labelled set, in the shape fast.ai's ClassificationInterpretation gives.</summary>
public sealed class EvaluationResult
{
    public required IReadOnlyList<string> Classes { get; init; }
    public required IReadOnlyList<ItemPrediction> Items { get; init; }
    /// <summary>Thumbnails (PNG) of the highest-loss items, for the top-losses grid.</summary>
    public IReadOnlyDictionary<string, byte[]> Thumbnails { get; init; } = new Dictionary<string, byte[]>();

    public int Count => Items.Count;
    public int Errors => Items.Count(i => !i.Correct);
    public double ErrorRate => Count == 0 ? double.NaN : (double)Errors / Count;
    public double Loss => Count == 0 ? double.NaN : Items.Average(i => i.Loss);

    /// <summary>counts[actual, predicted].</summary>
    public int[,] Confusion()
    {
        var m = new int[Classes.Count, Classes.Count];
        foreach (var i in Items) m[i.Actual, i.Predicted]++;
        return m;
    }

    public IReadOnlyList<ClassFigures> PerClass()
    {
        var m = Confusion();
        return Classes.Select((name, c) =>
        {
            var support = Enumerable.Range(0, Classes.Count).Sum(p => m[c, p]);
            var predicted = Enumerable.Range(0, Classes.Count).Sum(a => m[a, c]);
            return new ClassFigures(name, support,
                predicted == 0 ? double.NaN : (double)m[c, c] / predicted,
                support == 0 ? double.NaN : (double)m[c, c] / support);
        }).ToList();
    }

    public IReadOnlyList<ItemPrediction> TopLosses(int count) => Items.OrderByDescending(i => i.Loss).Take(count).ToList();
}
