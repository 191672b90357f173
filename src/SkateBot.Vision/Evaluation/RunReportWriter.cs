using System.Text.Json;
using SkateBot.Vision.Reports;
using SkateBot.Vision.Training;

namespace SkateBot.Vision.Evaluation;

/// <summary>
/// Writes a run's report folder: <c>metrics.json</c>, <c>confusion_matrix.png</c>, <c>top_losses.png</c> and, for training
/// runs, <c>training_curves.png</c> — what fast.ai's <c>ClassificationInterpretation</c> and <c>recorder.plot_loss</c> show.
/// </summary>
public static class RunReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Write(string directory, string title, EvaluationResult evaluation,
        IReadOnlyList<EpochResult>? epochs = null, IReadOnlyDictionary<string, object?>? details = null)
    {
        Directory.CreateDirectory(directory);
        ReportImages.WriteConfusionMatrix(Path.Combine(directory, "confusion_matrix.png"), evaluation.Classes, evaluation.Confusion(), title);
        var top = evaluation.TopLosses(Evaluator.TopLossCount)
            .Where(i => evaluation.Thumbnails.ContainsKey(i.Id))
            .Select(i => new TopLossItem(evaluation.Thumbnails[i.Id], evaluation.Classes[i.Predicted], evaluation.Classes[i.Actual], i.PredictedProbability, i.Loss))
            .ToList();
        ReportImages.WriteTopLosses(Path.Combine(directory, "top_losses.png"), top);
        if (epochs is { Count: > 0 })
            ReportImages.WriteTrainingCurves(Path.Combine(directory, "training_curves.png"),
                epochs.Select((e, i) => new EpochPoint(i + 1, e.TrainLoss, e.ValidLoss, e.ErrorRate)).ToList(), null);
        File.WriteAllText(Path.Combine(directory, "metrics.json"), JsonSerializer.Serialize(Summary(title, evaluation, epochs, details), Json));
        return directory;
    }

    public static Dictionary<string, object?> Summary(string title, EvaluationResult e,
        IReadOnlyList<EpochResult>? epochs = null, IReadOnlyDictionary<string, object?>? details = null)
    {
        var summary = new Dictionary<string, object?>
        {
            ["title"] = title,
            ["images"] = e.Count,
            ["errors"] = e.Errors,
            ["error_rate"] = Finite(e.ErrorRate),
            ["loss"] = Finite(e.Loss),
            ["classes"] = e.Classes,
            ["confusion_matrix"] = Enumerable.Range(0, e.Classes.Count).Select(a => Enumerable.Range(0, e.Classes.Count).Select(p => e.Confusion()[a, p]).ToArray()).ToArray(),
            ["per_class"] = e.PerClass().Select(c => new { @class = c.Class, support = c.Support, precision = Finite(c.Precision), recall = Finite(c.Recall) }).ToArray(),
            ["mistakes"] = e.Items.Where(i => !i.Correct).Select(i => new { id = i.Id, actual = e.Classes[i.Actual], predicted = e.Classes[i.Predicted], probability = i.PredictedProbability }).ToArray(),
        };
        if (epochs is not null)
            summary["epochs"] = epochs.Select(x => new { phase = x.Phase, epoch = x.Epoch, train_loss = Finite(x.TrainLoss), valid_loss = Finite(x.ValidLoss), error_rate = Finite(x.ErrorRate), seconds = x.Duration.TotalSeconds }).ToArray();
        if (details is not null) foreach (var (k, v) in details) summary[k] = v;
        return summary;
    }

    // JSON has no NaN: an empty validation set reports null.
    private static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;
}
