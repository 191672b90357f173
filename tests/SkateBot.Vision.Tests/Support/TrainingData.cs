using SkateBot.Vision.Data;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Training;

namespace SkateBot.Vision.Tests.Support;

public static class TrainingData
{
    public static readonly ImageLoader Loader = new(new ImageLimits());

    /// <summary>A class-per-folder tree as a training set, split like <c>train</c> does it.</summary>
    public static TrainingSet FromFolder(string root, double validFraction = 0.2, int seed = 42)
    {
        var ds = ImageFolderDataset.Scan(root);
        if (ds.Valid.Count == 0) ds = ds.SplitValidation(validFraction, seed);
        TrainingExample Example(LabelledImage i) => new(i.Path, i.ClassIndex, () => Loader.Load(i.Path));
        return new TrainingSet(ds.Classes, ds.Train.Select(Example).ToList(), ds.Valid.Select(Example).ToList(), ds.Fingerprint());
    }

    /// <summary>Several folders (each may carry a #train/#dev share) as one training set with the union of their classes.</summary>
    public static TrainingSet FromFolders(IReadOnlyList<string> specs, double validFraction = 0.2, int seed = 42)
    {
        var sets = specs.Select(s => { var ds = ImageFolderDataset.Scan(s); return ds.Valid.Count == 0 ? ds.SplitValidation(validFraction, seed) : ds; }).ToList();
        var classes = sets.SelectMany(d => d.Classes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        TrainingExample Example(ImageFolderDataset d, LabelledImage i) => new(i.Path, classes.IndexOf(d.Classes[i.ClassIndex]), () => Loader.Load(i.Path));
        return new TrainingSet(classes, sets.SelectMany(d => d.Train.Select(i => Example(d, i))).ToList(),
            sets.SelectMany(d => d.Valid.Select(i => Example(d, i))).ToList(), string.Join("+", sets.Select(d => d.Fingerprint())));
    }

    /// <summary>Every image of a folder spec as evaluation sources.</summary>
    public static List<Evaluation.LabelledSource> Sources(string spec)
    {
        var ds = ImageFolderDataset.Scan(spec);
        return ds.Train.Concat(ds.Valid).Select(i => new Evaluation.LabelledSource(i.Path, ds.Classes[i.ClassIndex], () => Loader.Load(i.Path))).ToList();
    }

    /// <summary>Three drawn samples per class under <paramref name="root"/>, split a third for validation.</summary>
    public static TrainingSet TinySamples(string root)
    {
        SkateBot.Vision.Samples.SkateSampleGenerator.Generate(root, perClass: 3, seed: 31);
        return FromFolder(root, 0.34, seed: 2);
    }

    /// <summary>One frozen epoch on <paramref name="data"/> (seed 9), written as <paramref name="version"/> under <paramref name="dir"/>.</summary>
    public static TrainingJobResult TinyJob(TrainingSet data, string dir, string version) =>
        TrainingJob.Run(new TrainingJobRequest
        {
            Data = data, Version = version, ModelsDirectory = Path.Combine(dir, "models"), RunsDirectory = Path.Combine(dir, "runs"),
            PretrainedCacheDirectory = PretrainedFixture.ModelsDirectory,
            Options = new FineTuneOptions { FrozenEpochs = 1, UnfrozenEpochs = 0, BatchSize = 4, CompositesPerStudioImage = 0, Seed = 9 },
        }, TorchSharp.torch.CPU);
}
