using SkateBot.Vision.Data;
using SkateBot.Vision.Tests.Imaging;

namespace SkateBot.Vision.Tests.Data;

public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // Scanning never decodes, so any bytes stand in for images here.
    private string Touch(string relative, string content = "x") => _temp.Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    private void Populate(string prefix, string cls, int count)
    {
        for (var i = 0; i < count; i++) Touch($"{prefix}{cls}/{cls}_{i:D2}.jpg", $"{cls}{i}");
    }

    [Fact]
    public void Scan_ClassFolders_FindsImagesRecursivelyAndSkipsOthers()
    {
        Touch("inline/a.jpg");
        Touch("inline/deep/er/b.PNG");
        Touch("inline/c.webp");
        Touch("inline/notes.txt");
        Touch("inline/.hidden.jpg");
        Touch("inline/.thumbs/d.jpg");
        Touch("aggressive/e.JPEG");
        Touch("aggressive/f.tif");
        Touch(".git/objects/g.jpg");

        var dataset = ImageFolderDataset.Scan(_temp.Path);

        Assert.Equal(["aggressive", "inline"], dataset.Classes);
        Assert.Equal(["e.JPEG", "f.tif"], Names(dataset.Train.Where(i => i.ClassIndex == 0)));
        Assert.Equal(["a.jpg", "b.PNG", "c.webp"], Names(dataset.Train.Where(i => i.ClassIndex == 1)).Order(StringComparer.Ordinal));
        Assert.Empty(dataset.Valid);
        Assert.Equal([2, 3], dataset.ClassCounts());
    }

    [Fact]
    public void Scan_ClassNames_SortOrdinally()
    {
        Touch("b/1.jpg");
        Touch("B/1.jpg");
        Touch("a/1.jpg");

        Assert.Equal(["B", "a", "b"], ImageFolderDataset.Scan(_temp.Path).Classes);
    }

    [Fact]
    public void Scan_TrainAndValidFolders_UseValidAsValidationSet()
    {
        Populate("train/", "aggressive", 3);
        Populate("train/", "inline", 4);
        Populate("valid/", "aggressive", 1);
        Populate("valid/", "inline", 2);

        var dataset = ImageFolderDataset.Scan(_temp.Path);

        Assert.Equal(["aggressive", "inline"], dataset.Classes);
        Assert.Equal([3, 4], dataset.ClassCounts());
        Assert.Equal([1, 2], dataset.ClassCounts(dataset.Valid));
        Assert.All(dataset.Valid, i => Assert.Contains($"{Path.DirectorySeparatorChar}valid{Path.DirectorySeparatorChar}", i.Path));
        Assert.Same(dataset, dataset.SplitValidation()); // explicit validation wins
    }

    [Fact]
    public void Scan_ValidClassUnknownToTrain_NamesIt()
    {
        Populate("train/", "aggressive", 1);
        Populate("train/", "inline", 1);
        Populate("valid/", "quad", 1);

        var ex = Assert.Throws<DatasetException>(() => ImageFolderDataset.Scan(_temp.Path));
        Assert.Contains("quad", ex.Message);
        Assert.Contains("train/", ex.Message);
    }

    [Fact]
    public void Scan_MissingRoot_SaysItDoesNotExist()
    {
        var missing = Path.Combine(_temp.Path, "nowhere");
        var ex = Assert.Throws<DatasetException>(() => ImageFolderDataset.Scan(missing));
        Assert.Equal($"dataset folder '{missing}' does not exist", ex.Message);
    }

    [Fact]
    public void Scan_OneClass_SaysTwoAreNeeded()
    {
        Populate("", "inline", 3);
        var ex = Assert.Throws<DatasetException>(() => ImageFolderDataset.Scan(_temp.Path));
        Assert.Contains("has 1 class folder(s); need at least 2", ex.Message);
    }

    [Fact]
    public void Scan_ClassWithoutImages_NamesTheFolder()
    {
        Populate("", "inline", 3);
        Touch("aggressive/readme.txt");
        var ex = Assert.Throws<DatasetException>(() => ImageFolderDataset.Scan(_temp.Path));
        Assert.Contains("aggressive' has no images", ex.Message);
        Assert.Contains(".jpg", ex.Message);
    }

    [Fact]
    public void SplitValidation_IsStratifiedAndKeepsOnePerSmallClass()
    {
        Populate("", "a", 10);
        Populate("", "b", 5);
        Populate("", "c", 2);
        Populate("", "d", 1);

        var split = ImageFolderDataset.Scan(_temp.Path).SplitValidation(0.2, seed: 42);

        Assert.Equal([2, 1, 1, 0], split.ClassCounts(split.Valid));
        Assert.Equal([8, 4, 1, 1], split.ClassCounts(split.Train));
        Assert.Empty(split.Train.Select(i => i.Path).Intersect(split.Valid.Select(i => i.Path)));
    }

    [Fact]
    public void SplitValidation_SameSeedSameSplit_OtherSeedOtherSplit()
    {
        Populate("", "a", 20);
        Populate("", "b", 20);
        var dataset = ImageFolderDataset.Scan(_temp.Path);

        var first = Names(dataset.SplitValidation(0.25, seed: 1).Valid);
        var again = Names(ImageFolderDataset.Scan(_temp.Path).SplitValidation(0.25, seed: 1).Valid);
        var other = Names(dataset.SplitValidation(0.25, seed: 2).Valid);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(10, first.Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void SplitValidation_FractionOutsideZeroToOne_Throws(double fraction)
    {
        Populate("", "a", 2);
        Populate("", "b", 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolderDataset.Scan(_temp.Path).SplitValidation(fraction));
    }

    [Fact]
    public void Fingerprint_ChangesWhenAFileChangesEvenAtSameLength()
    {
        Populate("", "a", 3);
        Populate("", "b", 3);
        var before = ImageFolderDataset.Scan(_temp.Path).Fingerprint();
        Assert.Equal(before, ImageFolderDataset.Scan(_temp.Path).Fingerprint());

        Touch("a/a_01.jpg", "A1"); // same length as "a1"

        var after = ImageFolderDataset.Scan(_temp.Path).Fingerprint();
        Assert.NotEqual(before, after);
        Assert.Matches("^[0-9a-f]{64}$", after);
    }

    [Fact]
    public void Fingerprint_ChangesWithRelabelOrSplit_NotWithRootLocation()
    {
        Populate("one/", "a", 4);
        Populate("one/", "b", 4);
        var one = ImageFolderDataset.Scan(Path.Combine(_temp.Path, "one"));
        CopyDirectory(Path.Combine(_temp.Path, "one"), Path.Combine(_temp.Path, "two"));
        var two = ImageFolderDataset.Scan(Path.Combine(_temp.Path, "two"));
        Assert.Equal(one.Fingerprint(), two.Fingerprint());

        var relabelled = ImageFolderDataset.FromLabelled(one.Classes,
            one.Train.Select((item, n) => n == 0 ? item with { ClassIndex = 1 } : item), root: one.Root);
        Assert.NotEqual(one.Fingerprint(), relabelled.Fingerprint());
        Assert.NotEqual(one.Fingerprint(), one.SplitValidation().Fingerprint());
    }

    [Fact]
    public void FromLabelled_KeepsItemsAndChecksClassIndices()
    {
        var a = Touch("store/1.jpg");
        var b = Touch("store/2.jpg");
        var c = Touch("store/3.jpg");

        var dataset = ImageFolderDataset.FromLabelled(["aggressive", "inline"],
            [new LabelledImage(a, 0), new LabelledImage(b, 1), new LabelledImage(c, 1)]);

        Assert.Equal([1, 2], dataset.ClassCounts());
        Assert.Equal([1.5f, 0.75f], dataset.BalancedClassWeights());
        var ex = Assert.Throws<DatasetException>(() =>
            ImageFolderDataset.FromLabelled(["aggressive", "inline"], [new LabelledImage(a, 2)]));
        Assert.Contains("class index 2", ex.Message);
        Assert.Throws<DatasetException>(() => ImageFolderDataset.FromLabelled(["only"], [new LabelledImage(a, 0)]));
    }

    private static List<string> Names(IEnumerable<LabelledImage> items) => [.. items.Select(i => Path.GetFileName(i.Path))];

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
