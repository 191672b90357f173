using SkateBot.Vision.Reports;
using SkateBot.Vision.Tests.Samples;

namespace SkateBot.Vision.Tests.Reports;

public sealed class TrainingCurvesTests
{
    private static readonly EpochPoint[] Epochs =
        [new(1, 0.9, 0.8, 0.4), new(2, 0.5, 0.55, 0.2), new(3, 0.3, 0.45, 0.1)];

    [Fact]
    public void WriteTrainingCurves_EpochsAndBatches_WritesTwoPanelPng()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "curves.png");
        var batches = Enumerable.Range(0, 30).Select(s => new BatchLossPoint(s, 1.0 / (1 + (s / 5.0)))).ToList();

        ReportImages.WriteTrainingCurves(path, Epochs, batches);

        using var bitmap = PngAssert.IsNonBlankPng(path, minWidth: 600, minHeight: 500);
        Assert.True(bitmap.Height > bitmap.Width / 2, "expected a loss panel above an error-rate panel");
    }

    [Fact]
    public void WriteTrainingCurves_SingleEpochWithoutBatches_WritesPng()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "curves.png");

        ReportImages.WriteTrainingCurves(path, [new EpochPoint(1, 0.5, 0.6, 0.25)], null);

        PngAssert.IsNonBlankPng(path).Dispose();
    }

    [Fact]
    public void WriteTrainingCurves_NonFiniteLosses_StillWritesPng()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "curves.png");
        EpochPoint[] diverged = [new(1, 0.7, 0.8, 0.5), new(2, double.NaN, double.PositiveInfinity, 0.5)];

        ReportImages.WriteTrainingCurves(path, diverged, [new BatchLossPoint(0, double.NaN), new BatchLossPoint(1, 0.6)]);

        PngAssert.IsNonBlankPng(path).Dispose();
    }

    [Fact]
    public void WriteTrainingCurves_NoEpochs_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => ReportImages.WriteTrainingCurves("unused.png", [], null));
}
