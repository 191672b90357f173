using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Evaluation;

/// <summary>An image to evaluate: its id, true class, preprocessed views (<see cref="Imaging.InputViews"/>) and (for top-loss thumbnails) the image.</summary>
public sealed record EvaluationSample(string Id, int ClassIndex, float[][] Views, Image<Rgb24>? Image = null);

/// <summary>
/// One evaluated image: the most likely class (<see cref="Predicted"/>), calibrated probabilities, the raw logits (for
/// calibration figures) and the answer a user would see (<see cref="Answer"/>: a skate class or <c>unsure</c>).
/// </summary>
public sealed record ItemPrediction(string Id, int Actual, int Predicted, double[] Probabilities, double Loss)
{
    public double[] Logits { get; init; } = [];
    public string Answer { get; init; } = "";
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

    /// <summary>Temperature the probabilities were calibrated with.</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>Views that went through the network (<see cref="Inference.ViewCascade"/>); 0 when not counted.</summary>
    public int ViewsForwarded { get; set; }

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

    private bool IsSkate(ItemPrediction i) => Inference.Answering.IsSkateClass(Classes[i.Actual]);
    private bool IsUnsure(ItemPrediction i) => i.Answer == Inference.Answering.Unsure;

    /// <summary>Photos of a skate class answered with the other skate class, or photos of <c>other</c> answered as a skate.</summary>
    public int WrongAnswers => Items.Count(i => IsSkate(i) ? !IsUnsure(i) && i.Answer != Classes[i.Actual] : !IsUnsure(i));

    public int SkateCount => Items.Count(IsSkate);
    public int OtherCount => Count - SkateCount;
    /// <summary>Share of skate photos answered with the wrong skate class (unsure is not wrong).</summary>
    public double SkateWrongRate => Rate(Items.Count(i => IsSkate(i) && !IsUnsure(i) && i.Answer != Classes[i.Actual]), SkateCount);
    /// <summary>Share of skate photos answered unsure.</summary>
    public double SkateUnsureRate => Rate(Items.Count(i => IsSkate(i) && IsUnsure(i)), SkateCount);
    /// <summary>Share of photos of things that are not inline skates answered unsure.</summary>
    public double OtherFlaggedRate => Rate(Items.Count(i => !IsSkate(i) && IsUnsure(i)), OtherCount);

    /// <summary>
    /// Share of skate photos whose own class is more probable than every other skate class: how well the kind of skate
    /// is told, wherever the "not a skate" and "too close to call" lines are.
    /// </summary>
    public double SkateClassRightRate => Rate(Items.Count(i => IsSkate(i) &&
        Enumerable.Range(0, Classes.Count).All(c => c == i.Actual || !Inference.Answering.IsSkateClass(Classes[c]) || i.Probabilities[i.Actual] > i.Probabilities[c])), SkateCount);

    /// <summary>
    /// How well the probability of <c>other</c> ranks photos of things that are not inline skates above skate photos:
    /// the chance that a random <c>other</c> photo has more of it than a random skate photo, ties counting half (the
    /// area under the ROC curve; 1 perfect, 0.5 chance, as for a model that never learnt <c>other</c>). It does not
    /// depend on where the "not a skate" line is, so it tells a model that separates better from one that only moves
    /// the line. NaN when the set lacks skate or <c>other</c> photos.
    /// </summary>
    public double OtherAuc
    {
        get
        {
            var otherIndex = Classes.ToList().FindIndex(c => !Inference.Answering.IsSkateClass(c));
            if (otherIndex < 0 || SkateCount == 0 || OtherCount == 0) return double.NaN;
            // Every (other, skate) pair counted: the sets are small, and a tie counts half.
            var skates = Items.Where(IsSkate).Select(i => i.Probabilities[otherIndex]).ToArray();
            var wins = Items.Where(i => !IsSkate(i)).Sum(o => skates.Sum(s =>
                o.Probabilities[otherIndex] > s ? 1.0 : o.Probabilities[otherIndex] == s ? 0.5 : 0.0));
            return wins / ((double)SkateCount * OtherCount);
        }
    }

    /// <summary>Expected calibration error of the raw softmax (T = 1) and of the calibrated probabilities.</summary>
    public (double Before, double After) CalibrationError()
    {
        var labels = Items.Select(i => i.Actual).ToList();
        var raw = Items.Select(i => Calibration.Temperature.Softmax(i.Logits)).ToList();
        return (Calibration.Temperature.ExpectedCalibrationError(raw, labels),
            Calibration.Temperature.ExpectedCalibrationError(Items.Select(i => i.Probabilities).ToList(), labels));
    }

    private static double Rate(int n, int of) => of == 0 ? double.NaN : (double)n / of;

    public IReadOnlyList<ItemPrediction> TopLosses(int count) => Items.OrderByDescending(i => i.Loss).Take(count).ToList();
}
