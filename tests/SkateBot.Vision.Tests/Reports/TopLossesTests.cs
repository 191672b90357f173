using SkateBot.Vision.Reports;
using SkateBot.Vision.Samples;
using SkateBot.Vision.Tests.Samples;
using SkiaSharp;

namespace SkateBot.Vision.Tests.Reports;

public sealed class TopLossesTests
{
    private static readonly byte[] Thumbnail = SkateSampleGenerator.Enumerate(1, seed: 2, size: 64).First().Data;

    [Fact]
    public void WriteTopLosses_NoItems_WritesNoErrorsImage()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "top.png");

        ReportImages.WriteTopLosses(path, []);

        PngAssert.IsNonBlankPng(path, minHeight: 100).Dispose();
    }

    [Fact]
    public void WriteTopLosses_FourItemsThreeColumns_GridHasTwoRows()
    {
        using var folder = new TempFolder();
        var one = Path.Combine(folder.Path, "one.png");
        var four = Path.Combine(folder.Path, "four.png");

        ReportImages.WriteTopLosses(one, [Item(1.0)]);
        ReportImages.WriteTopLosses(four, [Item(1.0), Item(2.0), Item(3.0), Item(4.0)]);

        using var single = PngAssert.IsNonBlankPng(one);
        using var grid = PngAssert.IsNonBlankPng(four);
        Assert.True(grid.Width > single.Width, "three columns should be wider than one");
        Assert.True(grid.Height > single.Height * 1.5, "four items in three columns need a second row");
    }

    [Fact]
    public void WriteTopLosses_ManyItems_CapsAtSixteen()
    {
        using var folder = new TempFolder();
        var sixteen = Path.Combine(folder.Path, "sixteen.png");
        var forty = Path.Combine(folder.Path, "forty.png");

        ReportImages.WriteTopLosses(sixteen, Enumerable.Range(0, 16).Select(i => Item(i)).ToList(), columns: 4);
        ReportImages.WriteTopLosses(forty, Enumerable.Range(0, 40).Select(i => Item(i)).ToList(), columns: 4);

        using var a = PngAssert.IsNonBlankPng(sixteen);
        using var b = PngAssert.IsNonBlankPng(forty);
        Assert.Equal(16, ReportImages.MaxTopLosses);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
    }

    [Fact]
    public void WriteTopLosses_UndecodableAndEmptyImages_DrawGreyTiles()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "top.png");
        TopLossItem[] items = [Item(1.0) with { ImagePng = [1, 2, 3, 4] }, Item(0.5) with { ImagePng = [] }];

        ReportImages.WriteTopLosses(path, items, columns: 2);

        using var bitmap = PngAssert.IsNonBlankPng(path);
        Assert.True(bitmap.Pixels.Count(p => p == new SKColor(190, 190, 190)) > 2 * 150 * 150, "expected two grey tiles");
    }

    [Fact]
    public void WriteTopLosses_LongClassNames_Writes()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "top.png");
        var longName = string.Concat(Enumerable.Repeat("very_long_class_name_", 10));

        ReportImages.WriteTopLosses(path, [Item(2.0) with { Predicted = longName, Actual = longName + "2" }]);

        PngAssert.IsNonBlankPng(path).Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void WriteTopLosses_ColumnsOutOfRange_Throws(int columns) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportImages.WriteTopLosses("unused.png", [Item(1)], columns));

    private static TopLossItem Item(double loss) =>
        new(Thumbnail, "aggressive_skates", "inline_skates", 0.9, loss);
}
