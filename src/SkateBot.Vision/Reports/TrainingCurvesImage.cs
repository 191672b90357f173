using ScottPlot;
using SkiaSharp;

namespace SkateBot.Vision.Reports;

/// <summary>
/// Two panels, one above the other: losses (train and valid per epoch, batch losses faint behind them, like
/// fast.ai's Recorder.plot_loss) and the validation error rate per epoch.
/// </summary>
internal static class TrainingCurvesImage
{
    public const int Width = 900;
    private const int LossHeight = 420, ErrorHeight = 300;

    public static void Write(string path, IReadOnlyList<EpochPoint> epochs, IReadOnlyList<BatchLossPoint>? batches)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0)
        {
            throw new ArgumentException("At least one epoch is needed to draw training curves.", nameof(epochs));
        }

        if (epochs.Any(e => e is null) || (batches?.Any(b => b is null) ?? false))
        {
            throw new ArgumentException("Epoch and batch lists must not contain null entries.");
        }

        var ordered = epochs.OrderBy(e => e.Epoch).ToList();
        var batchPoints = BatchCoordinates(ordered, batches ?? []);
        using var loss = LossPlot(ordered, batchPoints);
        using var error = ErrorPlot(ordered);

        // Both panels share the epoch axis: same x range and same fixed data-area padding, so epoch n sits
        // at the same pixel column in both.
        double xMin = batchPoints.Length > 0 ? ordered[0].Epoch - 1 : ordered[0].Epoch;
        double xMax = ordered[^1].Epoch;
        double margin = Math.Max((xMax - xMin) * 0.04, 0.5);
        foreach (var plot in (Plot[])[loss, error])
        {
            plot.Axes.SetLimitsX(xMin - margin, xMax + margin);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.Layout.Fixed(new PixelPadding(left: 70, right: 24, bottom: 50, top: 44));
        }

        using var lossImage = SKBitmap.Decode(loss.GetImageBytes(Width, LossHeight, ImageFormat.Png));
        using var errorImage = SKBitmap.Decode(error.GetImageBytes(Width, ErrorHeight, ImageFormat.Png));
        PngWriter.Write(path, Width, LossHeight + ErrorHeight, canvas =>
        {
            canvas.DrawBitmap(lossImage, 0, 0);
            canvas.DrawBitmap(errorImage, 0, LossHeight);
        });
    }

    private static Plot LossPlot(List<EpochPoint> epochs, Coordinates[] batchPoints)
    {
        var plot = NewPlot("Loss", "loss");
        if (batchPoints.Length > 0)
        {
            var line = plot.Add.ScatterLine(batchPoints, Colors.SteelBlue.WithAlpha(0.3));
            line.LineWidth = 1;
            line.LegendText = "train (batches)";
        }

        AddSeries(plot, epochs, e => e.TrainLoss, Colors.SteelBlue, "train");
        AddSeries(plot, epochs, e => e.ValidLoss, Colors.DarkOrange, "valid");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.AutoScaleY();
        return plot;
    }

    private static Plot ErrorPlot(List<EpochPoint> epochs)
    {
        var plot = NewPlot("Validation error rate", "error rate (%)");
        var series = AddSeries(plot, epochs, e => e.ErrorRate * 100, Colors.Crimson, legend: null);
        double top = series.Length == 0 ? 100 : Math.Max(series.Max(c => c.Y) * 1.15, 1);
        plot.Axes.SetLimitsY(0, Math.Min(top, 105));
        return plot;
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        if (ReportFonts.PreferredFamilyInstalled)
        {
            plot.Font.Set(ReportFonts.PreferredFamily);
        }

        plot.Title(title, 16);
        plot.YLabel(yLabel, 13);
        plot.XLabel("epoch", 13);
        return plot;
    }

    /// <summary>Non-finite values (a diverged run) are left out rather than breaking the axis scaling.</summary>
    private static Coordinates[] AddSeries(Plot plot, List<EpochPoint> epochs, Func<EpochPoint, double> value, Color colour, string? legend)
    {
        var points = epochs
            .Select(e => new Coordinates(e.Epoch, value(e)))
            .Where(c => double.IsFinite(c.Y))
            .ToArray();
        if (points.Length > 0)
        {
            var scatter = plot.Add.Scatter(points, colour);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
            scatter.LegendText = legend ?? string.Empty;
        }

        return points;
    }

    /// <summary>
    /// Batch steps are spread evenly over the epochs on the same x axis: epoch e covers (e − 1, e], so the last
    /// batch of an epoch lines up with that epoch's point.
    /// </summary>
    internal static Coordinates[] BatchCoordinates(List<EpochPoint> epochs, IReadOnlyList<BatchLossPoint> batches)
    {
        var finite = batches.Where(b => double.IsFinite(b.Loss)).OrderBy(b => b.Step).ToList();
        if (finite.Count == 0)
        {
            return [];
        }

        double first = finite[0].Step, count = finite[^1].Step - first + 1;
        double start = epochs[0].Epoch - 1, span = epochs[^1].Epoch - start;
        return finite.Select(b => new Coordinates(start + ((b.Step - first + 1) / count * span), b.Loss)).ToArray();
    }
}
