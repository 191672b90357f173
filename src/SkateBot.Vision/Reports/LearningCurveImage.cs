using ScottPlot;

namespace SkateBot.Vision.Reports;

/// <summary>One line of a learning curve: a name (e.g. a review strategy and the set measured) and (labels, error) points.</summary>
public sealed record LearningCurveSeries(string Name, IReadOnlyList<(double Labels, double ErrorRate)> Points);

/// <summary>Error rate against the number of labels people gave, one line per series (simulate's learning curve).</summary>
internal static class LearningCurveImage
{
    public static void Write(string path, string title, IReadOnlyList<LearningCurveSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0 || series.All(s => s.Points.Count == 0)) throw new ArgumentException("A learning curve needs at least one point.");
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("labels given by people");
        plot.YLabel("error rate (%)");
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < series.Count; i++)
        {
            var points = series[i].Points.Where(p => double.IsFinite(p.ErrorRate)).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => p.Labels).ToArray(), points.Select(p => p.ErrorRate * 100).ToArray(), palette.GetColor(i));
            line.LegendText = series[i].Name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }
        plot.Axes.SetLimitsY(0, Math.Max(10, series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.ErrorRate)).Select(p => p.ErrorRate * 100).DefaultIfEmpty(0).Max() * 1.15));
        plot.ShowLegend(Alignment.UpperRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 520);
    }
}
