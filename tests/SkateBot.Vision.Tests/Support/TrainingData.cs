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
}
