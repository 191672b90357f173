using SkateBot.Vision.Reports;
using SkateBot.Vision.Tests.Samples;
using SkiaSharp;

namespace SkateBot.Vision.Tests.Reports;

public sealed class ConfusionMatrixTests
{
    private static readonly string[] Classes = ["aggressive_skates", "inline_skates"];

    [Fact]
    public void WriteConfusionMatrix_TwoClasses_WritesNonBlankPngWithDarkestCellForLargestCount()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "nested", "confusion.png");

        ReportImages.WriteConfusionMatrix(path, Classes, new[,] { { 40, 2 }, { 6, 30 } }, "Holdout");

        using var bitmap = PngAssert.IsNonBlankPng(path);
        // The largest count gets the dark end of the Blues colour map; the small ones stay near white.
        Assert.Contains(bitmap.Pixels, p => p == new SKColor(8, 48, 107));
    }

    [Fact]
    public void WriteConfusionMatrix_ClassCountMismatch_ThrowsArgumentExceptionNamingShape()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "cm.png");

        var error = Assert.Throws<ArgumentException>(() =>
            ReportImages.WriteConfusionMatrix(path, Classes, new int[3, 3], "bad"));

        Assert.Equal("counts", error.ParamName);
        Assert.Contains("3×3", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    public void WriteConfusionMatrix_NonSquareCounts_Throws(int rows, int columns) =>
        Assert.Throws<ArgumentException>(() =>
            ReportImages.WriteConfusionMatrix("unused.png", Classes, new int[rows, columns], "bad"));

    [Fact]
    public void WriteConfusionMatrix_NegativeCount_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            ReportImages.WriteConfusionMatrix("unused.png", Classes, new[,] { { 1, -1 }, { 0, 1 } }, "bad"));

    [Fact]
    public void WriteConfusionMatrix_NoClasses_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            ReportImages.WriteConfusionMatrix("unused.png", [], new int[0, 0], "bad"));

    [Fact]
    public void WriteConfusionMatrix_LongClassNamesAndManyClasses_StaysBoundedAndLeavesNoInkAtEdges()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "cm.png");
        var classes = Enumerable.Range(0, 9).Select(i => $"class_{i}_" + new string('x', 30 + (i * 20))).ToArray();
        var counts = new int[9, 9];
        for (int i = 0; i < 9; i++)
        {
            counts[i, i] = 10 + i;
        }

        ReportImages.WriteConfusionMatrix(path, classes, counts, "A title that is rather long for a small matrix, surely");

        using var bitmap = PngAssert.IsNonBlankPng(path);
        Assert.InRange(bitmap.Width, 300, 1200);
        // Nothing clipped at the image border: the outermost 3 px are empty on every side.
        Assert.Equal(0, PngAssert.InkShare(bitmap, new SKRectI(0, 0, 3, bitmap.Height)));
        Assert.Equal(0, PngAssert.InkShare(bitmap, new SKRectI(bitmap.Width - 3, 0, bitmap.Width, bitmap.Height)));
        Assert.Equal(0, PngAssert.InkShare(bitmap, new SKRectI(0, bitmap.Height - 3, bitmap.Width, bitmap.Height)));
    }

    [Fact]
    public void WriteConfusionMatrix_AllZero_WritesImage()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "cm.png");

        ReportImages.WriteConfusionMatrix(path, Classes, new int[2, 2], "empty");

        PngAssert.IsNonBlankPng(path).Dispose();
    }
}
