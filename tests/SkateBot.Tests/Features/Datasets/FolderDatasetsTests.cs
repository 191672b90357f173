using SkateBot.Configuration;
using SkateBot.Features.Datasets;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Vision.Imaging;

namespace SkateBot.Tests.Features.Datasets;

/// <summary>
/// How `train` splits a folder without valid/: with Training:ValidationFraction 0, on the share a later retrain holds out
/// of the same folder to judge challengers, so the first challenger is never compared with a champion that trained on the
/// judge's images; above 0, seeded and stratified. Only names are scanned; the files are empty.
/// </summary>
public sealed class FolderDatasetsTests : IDisposable
{
    private readonly TempDirectory _root = new("skatebot-folder-datasets");
    private readonly ImageLoader _loader = new(new ImageLimits());

    public void Dispose() => _root.Dispose();

    private string Folder(string name, params (string Class, IEnumerable<string> Files)[] classes)
    {
        var folder = _root.Combine(name);
        foreach (var (cls, files) in classes)
        {
            Directory.CreateDirectory(Path.Combine(folder, cls));
            foreach (var file in files) File.WriteAllBytes(Path.Combine(folder, cls, file), []);
        }
        return folder;
    }

    private static IEnumerable<string> Names(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}-{i:000}.jpg");

    [Fact]
    public void Build_ValidationFractionZero_IsTheShareARetrainHoldsOutSoTheChampionNeverTrainsOnIt()
    {
        var folder = Folder("base", ("aggressive", Names("a", 40)), ("inline", Names("i", 40)));
        var options = new RetrainingOptions();

        var trained = FolderDatasets.Build([folder], 0, seed: 42, _loader, options.HoldoutSharePercent);
        using var db = SkateDatabase.Open(_root.Combine("data"), TimeProvider.System);
        var retrain = RetrainingDataset.Build(BaseFolders.ForRetrain(new TrainingOptions { BaseFolders = [folder] }, null), db, _loader, options);

        var judged = retrain.Trusted.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        Assert.InRange(judged.Count, 8, 24); // about 20 % of 80
        Assert.DoesNotContain(trained.Train, e => judged.Contains(e.Id));
        Assert.Equal(judged.Order(StringComparer.Ordinal), trained.Valid.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_HeldOutShareWouldTakeAWholeClass_FallsBackToTheSeededSplit()
    {
        // One inline photo whose name the hash holds out: validating on the share would leave the class nothing to train on.
        var held = Names("i", 1000).First(n => RetrainingDataset.InHoldout($"inline/{n}", 20));
        var folder = Folder("tiny", ("aggressive", Names("a", 10)), ("inline", [held]));

        var trained = FolderDatasets.Build([folder], 0, seed: 42, _loader, 20);

        Assert.Contains(trained.Train, e => e.Id.EndsWith(held, StringComparison.Ordinal));
        Assert.Equal(2, trained.Valid.Count); // the seeded 20 % of the aggressive class
    }

    [Fact]
    public void Build_ExplicitFraction_KeepsTheSeededStratifiedSplit()
    {
        var folder = Folder("seeded", ("aggressive", Names("a", 10)), ("inline", Names("i", 10)));

        var trained = FolderDatasets.Build([folder], 0.3, seed: 42, _loader, 20);

        Assert.Equal(6, trained.Valid.Count);
        Assert.Equal([3, 3], trained.Valid.GroupBy(e => e.ClassIndex).OrderBy(g => g.Key).Select(g => g.Count()));
    }
}
