using System.Security.Cryptography;
using System.Text;
using SkateBot.Features.Datasets;
using SkateBot.Storage;
using SkateBot.Vision.Data;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Retraining;

/// <summary>The data of one retrain: what to train on, the held-out set, and the corrected images.</summary>
public sealed record RetrainingData(TrainingSet Training, IReadOnlyList<LabelledSource> Holdout, IReadOnlyList<LabelledSource> Corrected);

/// <summary>
/// Builds a retrain's data from the base folders plus every resolved label in storage. The held-out set is never trained
/// on: a fixed share of the base images (chosen by a hash of their relative path) plus the same share of labelled images
/// (chosen by image hash), so it grows with the real distribution and never moves between runs. Images the model got wrong
/// and people corrected are weighted up.
/// </summary>
public static class RetrainingDataset
{
    public static RetrainingData Build(BaseFolderChoice baseFolders, SkateDatabase db, ImageLoader loader, RetrainingOptions options)
    {
        var items = new List<(string Id, string Class, Func<SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>> Open, bool Holdout, double Weight, bool Corrected)>();
        foreach (var folder in baseFolders.Folders)
        {
            // A typo in Training:BaseFolders, or a recorded folder that has moved, must not silently turn into "retrain on
            // the labels alone".
            if (!BaseFolders.Exists(folder.Resolved))
            {
                var shown = folder.Given == folder.Resolved ? $"'{folder.Given}'" : $"'{folder.Given}' ({folder.Resolved})";
                throw new InvalidOperationException($"{baseFolders.Origin} names {shown}, which does not exist (working directory {Directory.GetCurrentDirectory()})." +
                    (baseFolders.Origin == "Training:BaseFolders" ? "" : " Set Training:BaseFolders to retrain on other folders."));
            }
            // The share suffix (if any) goes to the scanner untouched; the held-out key is the path below the folder itself.
            var ds = ImageFolderDataset.Scan(folder.Resolved);
            var root = BaseFolders.DirectoryOf(folder.Resolved);
            foreach (var i in ds.Train.Concat(ds.Valid))
            {
                var relative = Path.GetRelativePath(root, i.Path).Replace('\\', '/');
                items.Add((i.Path, ds.Classes[i.ClassIndex], () => loader.Load(i.Path), InHoldout(relative, options.HoldoutSharePercent), 1.0, false));
            }
        }
        var corrected = db.Misclassified(options.MinVotes).Select(m => m.ImageSha).ToHashSet(StringComparer.Ordinal);
        foreach (var label in db.ResolvedLabels(options.MinVotes))
        {
            var sha = label.ImageSha;
            var wrong = corrected.Contains(sha);
            items.Add(($"image:{sha[..12]}", label.ClassName, () => loader.Load(db.Images.ReadBytes(sha) ?? throw new ImageLoadException(sha[..12], "image bytes are missing from storage"), sha[..12]),
                InHoldout(sha, options.HoldoutSharePercent), wrong ? options.MisclassifiedWeight : 1.0, wrong));
        }
        var classes = items.Select(i => i.Class).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new InvalidOperationException($"Retraining needs images of at least two classes; found [{string.Join(", ", classes)}].");
        var train = items.Where(i => !i.Holdout).Select(i => new TrainingExample(i.Id, classes.IndexOf(i.Class), i.Open, i.Weight)).ToList();
        var holdout = items.Where(i => i.Holdout).Select(i => new LabelledSource(i.Id, i.Class, i.Open)).ToList();
        var holdoutAsValid = items.Where(i => i.Holdout).Select(i => new TrainingExample(i.Id, classes.IndexOf(i.Class), i.Open)).ToList();
        var correctedTrain = items.Where(i => i.Corrected && !i.Holdout).Select(i => new LabelledSource(i.Id, i.Class, i.Open)).ToList();
        var fingerprint = Fingerprint(items.Select(i => (i.Id, i.Class, i.Holdout)));
        // Epoch metrics are measured on the held-out set: it is never trained on and nothing is tuned on it during a run.
        return new RetrainingData(new TrainingSet(classes, train, holdoutAsValid, fingerprint), holdout, correctedTrain);
    }

    /// <summary>Deterministic membership: the first 4 bytes of SHA-256(key) modulo 100 below the share.</summary>
    public static bool InHoldout(string key, int sharePercent)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return BitConverter.ToUInt32(hash, 0) % 100 < sharePercent;
    }

    private static string Fingerprint(IEnumerable<(string Id, string Class, bool Holdout)> items)
    {
        var text = string.Join("\n", items.Select(i => $"{i.Id}\t{i.Class}\t{(i.Holdout ? "h" : "t")}").Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
