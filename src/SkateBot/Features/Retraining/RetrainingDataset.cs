using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Features.Datasets;
using SkateBot.Storage;
using SkateBot.Vision.Data;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Retraining;

/// <summary>
/// The data of one retrain: what to train on, the two parts of the held-out set, and the corrected images.
/// <paramref name="Trusted"/> has classes no later label can rewrite (base folders, frozen entries); <paramref name="Labelled"/>
/// has the other held-out images with their current labels.
/// </summary>
public sealed record RetrainingData(TrainingSet Training, IReadOnlyList<LabelledSource> Trusted, IReadOnlyList<LabelledSource> Labelled,
    IReadOnlyList<LabelledSource> Corrected)
{
    public IReadOnlyList<LabelledSource> Holdout { get; } = [.. Trusted, .. Labelled];
}

/// <summary>
/// Builds a retrain's data from the base folders plus every resolved label in storage. The held-out set is never trained
/// on: a fixed share of the base images (chosen by a hash of their relative path) plus the same share of labelled images
/// (chosen by image hash), so it grows with the real distribution and never moves between runs, plus every trusted image.
/// Its trusted part is the base images and the trusted entries with their frozen class; its labelled part the other
/// labelled images with their current label. Images the model got wrong and people corrected are weighted up.
/// </summary>
public static class RetrainingDataset
{
    private enum Part { Train, Trusted, Labelled }

    private sealed record Item(string Id, string Class, Func<Image<Rgb24>> Open, Part Part, double Weight = 1.0, bool Corrected = false);

    public static RetrainingData Build(BaseFolderChoice baseFolders, SkateDatabase db, ImageLoader loader, RetrainingOptions options)
    {
        var items = new List<Item>();
        foreach (var folder in baseFolders.Folders)
        {
            // A typo in Training:BaseFolders, or a recorded folder that has moved, must not silently turn into "retrain on
            // the labels alone".
            if (!BaseFolders.Exists(folder.Resolved))
            {
                var shown = folder.Given == folder.Resolved ? $"'{folder.Given}'" : $"'{folder.Given}' ({folder.Resolved})";
                throw new Vision.Data.DatasetException($"Base folder {shown} from {baseFolders.Origin} does not exist (working directory {Directory.GetCurrentDirectory()})." +
                    (baseFolders.Origin == "Training:BaseFolders" ? "" : " Set Training:BaseFolders to retrain on other folders."));
            }
            // The share suffix (if any) goes to the scanner untouched; the held-out key is the path below the folder itself.
            var ds = ImageFolderDataset.Scan(folder.Resolved);
            foreach (var i in ds.Train.Concat(ds.Valid))
            {
                var key = BaseFolders.HeldOutKey(folder.Resolved, i.Path);
                items.Add(new(i.Path, ds.Classes[i.ClassIndex], () => loader.Load(i.Path), InHoldout(key, options.HoldoutSharePercent) ? Part.Trusted : Part.Train));
            }
        }
        Func<Image<Rgb24>> Stored(string sha) =>
            () => loader.Load(db.Images.ReadBytes(sha) ?? throw new ImageLoadException(sha[..12], "image bytes are missing from storage"), sha[..12]);
        // A trusted image is judged with its frozen class, whatever its votes say now (or whether they still resolve).
        var trusted = db.Trusted.List().ToDictionary(t => t.ImageSha, StringComparer.Ordinal);
        items.AddRange(trusted.Values.Select(t => new Item(Id(t.ImageSha), t.ClassName, Stored(t.ImageSha), Part.Trusted)));
        var corrected = db.Misclassified(options.MinVotes).Select(m => m.ImageSha).ToHashSet(StringComparer.Ordinal);
        foreach (var label in db.ResolvedLabels(options.MinVotes).Where(l => !trusted.ContainsKey(l.ImageSha)))
        {
            var sha = label.ImageSha;
            var wrong = corrected.Contains(sha);
            items.Add(new(Id(sha), label.ClassName, Stored(sha), InHoldout(sha, options.HoldoutSharePercent) ? Part.Labelled : Part.Train,
                wrong ? options.MisclassifiedWeight : 1.0, wrong));
        }
        var classes = items.Select(i => i.Class).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new Vision.Data.DatasetException($"Retraining needs images of at least two classes; found [{string.Join(", ", classes)}].");
        var train = items.Where(i => i.Part == Part.Train).Select(i => new TrainingExample(i.Id, classes.IndexOf(i.Class), i.Open, i.Weight)).ToList();
        List<LabelledSource> Sources(Func<Item, bool> where) => items.Where(where).Select(i => new LabelledSource(i.Id, i.Class, i.Open)).ToList();
        var holdoutAsValid = items.Where(i => i.Part != Part.Train).Select(i => new TrainingExample(i.Id, classes.IndexOf(i.Class), i.Open)).ToList();
        var fingerprint = Fingerprint(items.Select(i => (i.Id, i.Class, i.Part != Part.Train)));
        // Epoch metrics are measured on the held-out set: it is never trained on and nothing is tuned on it during a run.
        return new RetrainingData(new TrainingSet(classes, train, holdoutAsValid, fingerprint),
            Sources(i => i.Part == Part.Trusted), Sources(i => i.Part == Part.Labelled), Sources(i => i.Corrected && i.Part == Part.Train));
    }

    /// <summary>Deterministic membership: the first 4 bytes of SHA-256(key) modulo 100 below the share.</summary>
    public static bool InHoldout(string key, int sharePercent)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return BitConverter.ToUInt32(hash, 0) % 100 < sharePercent;
    }

    private static string Id(string sha) => $"image:{sha[..12]}";

    private static string Fingerprint(IEnumerable<(string Id, string Class, bool Holdout)> items)
    {
        var text = string.Join("\n", items.Select(i => $"{i.Id}\t{i.Class}\t{(i.Holdout ? "h" : "t")}").Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
