using SkateBot.Vision.Data;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Datasets;

/// <summary>Turns one or more class-per-sub-folder trees into a training set (fast.ai's <c>ImageDataLoaders.from_folder</c>).</summary>
public static class FolderDatasets
{
    private const double FallbackFraction = 0.2;

    /// <param name="validFraction">
    /// For a folder without <c>valid/</c>: above 0, a seeded stratified split of that share; 0, the share a retrain holds
    /// out of this folder to judge challengers (<paramref name="holdoutSharePercent"/> by <see cref="BaseFolders.HeldOutKey"/>),
    /// so a model trained here never trained on the images its challengers are judged on. A folder whose held-out share
    /// is empty, or holds every image of a class, falls back to the seeded split of 20 %.
    /// </param>
    public static TrainingSet Build(IReadOnlyList<string> folders, double validFraction, int seed, ImageLoader loader, int holdoutSharePercent)
    {
        if (folders.Count == 0) throw new ArgumentException("Name at least one image folder (one sub-folder per class).");
        var scanned = folders.Select(f =>
        {
            var ds = ImageFolderDataset.Scan(f);
            if (ds.Valid.Count > 0) return ds;
            if (validFraction > 0) return ds.SplitValidation(validFraction, seed);
            return ds.SplitValidationBy(i => Retraining.RetrainingDataset.InHoldout(BaseFolders.HeldOutKey(f, i.Path), holdoutSharePercent))
                ?? ds.SplitValidation(FallbackFraction, seed);
        }).ToList();
        var classes = scanned.SelectMany(d => d.Classes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        TrainingExample ToExample(ImageFolderDataset ds, LabelledImage item) =>
            new(item.Path, classes.IndexOf(ds.Classes[item.ClassIndex]), () => loader.Load(item.Path));
        var train = scanned.SelectMany(d => d.Train.Select(i => ToExample(d, i))).ToList();
        var valid = scanned.SelectMany(d => d.Valid.Select(i => ToExample(d, i))).ToList();
        var fingerprint = string.Join("+", scanned.Select(d => d.Fingerprint()));
        return new TrainingSet(classes, train, valid, fingerprint);
    }

    /// <summary>Every image of a labelled folder, for evaluation (no split): holdout/&lt;class&gt;/*.jpg.</summary>
    public static (IReadOnlyList<string> Classes, IReadOnlyList<LabelledImage> Items) All(string folder)
    {
        var ds = ImageFolderDataset.Scan(folder);
        return (ds.Classes, ds.Train.Concat(ds.Valid).OrderBy(i => i.Path, StringComparer.Ordinal).ToList());
    }
}
