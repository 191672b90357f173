namespace SkateBot.Vision.Reports;

/// <summary>
/// PNG report images for a training run (written to <c>data/runs/&lt;id&gt;/</c> by the trainer): confusion
/// matrix, training curves and top losses, after fast.ai's ClassificationInterpretation and Recorder plots.
/// Each writer creates the target folder if needed and overwrites an existing file.
/// </summary>
public static class ReportImages
{
    /// <summary>Most images <see cref="WriteTopLosses"/> shows; the highest-loss ones are kept.</summary>
    public const int MaxTopLosses = TopLossesImage.MaxItems;

    /// <summary>
    /// Confusion matrix: <paramref name="counts"/>[actual, predicted], rows and columns in the order of
    /// <paramref name="classes"/>. Throws <see cref="ArgumentException"/> when the shape does not match the classes
    /// or a count is negative.
    /// </summary>
    public static void WriteConfusionMatrix(string path, IReadOnlyList<string> classes, int[,] counts, string title) =>
        ConfusionMatrixImage.Write(path, classes, counts, title);

    /// <summary>
    /// Loss panel (train and valid per epoch; batch losses, if given, spread evenly over the epochs, faint) above
    /// an error-rate panel. Needs at least one epoch; non-finite values are left out of the plot.
    /// </summary>
    public static void WriteTrainingCurves(string path, IReadOnlyList<EpochPoint> epochs, IReadOnlyList<BatchLossPoint>? batches) =>
        TrainingCurvesImage.Write(path, epochs, batches);

    /// <summary>
    /// Grid of the highest-loss images (at most <see cref="MaxTopLosses"/>), <paramref name="columns"/> wide (1–8).
    /// An empty list gives an image saying "no errors"; an undecodable thumbnail gets a grey "unreadable" tile.
    /// </summary>
    public static void WriteTopLosses(string path, IReadOnlyList<TopLossItem> items, int columns = 3) =>
        TopLossesImage.Write(path, items, columns);

    /// <summary>Error rate against labels given, one line per series; non-finite points are left out.</summary>
    public static void WriteLearningCurve(string path, string title, IReadOnlyList<LearningCurveSeries> series) =>
        LearningCurveImage.Write(path, title, series);
}
