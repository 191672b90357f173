namespace SkateBot.Vision.Data;

/// <summary>
/// Labelled images in the fast.ai <c>ImageDataLoaders.from_folder</c> layout: one sub-folder per class
/// (<c>root/aggressive/*.jpg</c>, <c>root/inline/*.jpg</c>), or <c>root/train/&lt;class&gt;</c> plus an explicit
/// <c>root/valid/&lt;class&gt;</c> validation set. Immutable; <see cref="SplitValidation"/> returns a new dataset.
/// </summary>
public sealed class ImageFolderDataset
{
    private ImageFolderDataset(string? root, IReadOnlyList<string> classes, IReadOnlyList<LabelledImage> train,
        IReadOnlyList<LabelledImage> valid)
    {
        Root = root;
        Classes = classes;
        Train = train;
        Valid = valid;
    }

    /// <summary>Folder relative paths are taken from (for <see cref="Fingerprint"/>); null when built from storage without one.</summary>
    public string? Root { get; }
    public IReadOnlyList<string> Classes { get; }
    public IReadOnlyList<LabelledImage> Train { get; }
    public IReadOnlyList<LabelledImage> Valid { get; }

    /// <summary>Extensions (case-insensitive) counted as images when scanning.</summary>
    public static IReadOnlySet<string> ImageExtensions => FolderScanner.ImageExtensions;

    /// <summary>Scans <paramref name="spec"/>: a folder, optionally with a <c>#train</c> or <c>#dev</c> share (<see cref="FolderSpec"/>).</summary>
    public static ImageFolderDataset Scan(string spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        var folder = FolderSpec.Parse(spec);
        var dataset = ScanFolder(folder.Path);
        if (folder.Share == FolderShare.All) return dataset;
        var train = dataset.Train.Where(i => folder.Includes(i.Path)).ToList();
        if (train.Count == 0) throw new DatasetException($"'{spec}' selects no images");
        return new ImageFolderDataset(dataset.Root, dataset.Classes, train, dataset.Valid.Where(i => folder.Includes(i.Path)).ToList());
    }

    private static ImageFolderDataset ScanFolder(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new DatasetException($"dataset folder '{root}' does not exist");
        var trainDir = Path.Combine(full, "train");
        var validDir = Path.Combine(full, "valid");
        if (Directory.Exists(trainDir) && Directory.Exists(validDir))
        {
            var classes = FolderScanner.ClassFolders(trainDir);
            RequireTwoClasses(classes, Path.Combine(root, "train"));
            var train = Collect(trainDir, classes, classes, requireEach: true, Path.Combine(root, "train"));
            var validClasses = FolderScanner.ClassFolders(validDir);
            var unknown = validClasses.Except(classes, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw new DatasetException(
                    $"'{Path.Combine(root, "valid")}' has class folder(s) {string.Join(", ", unknown)} that train/ lacks (train/ classes: {string.Join(", ", classes)})");
            }
            var valid = Collect(validDir, validClasses, classes, requireEach: false, Path.Combine(root, "valid"));
            if (valid.Count == 0) throw new DatasetException($"'{Path.Combine(root, "valid")}' has no images ({FolderScanner.Extensions})");
            return new ImageFolderDataset(full, classes, valid: valid, train: train);
        }
        var names = FolderScanner.ClassFolders(full);
        RequireTwoClasses(names, root);
        return new ImageFolderDataset(full, names, Collect(full, names, names, requireEach: true, root), []);
    }

    /// <summary>
    /// A dataset assembled elsewhere (e.g. stored images plus resolved labels). Paths relative to
    /// <paramref name="root"/> enter the fingerprint when it is given; otherwise paths as written.
    /// </summary>
    public static ImageFolderDataset FromLabelled(IReadOnlyList<string> classes, IEnumerable<LabelledImage> items,
        IEnumerable<LabelledImage>? valid = null, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(items);
        if (classes.Count < 2) throw new DatasetException($"a dataset needs at least 2 classes, got {classes.Count}");
        var duplicate = classes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DatasetException($"class '{duplicate.Key}' is listed twice");
        var train = Checked(classes, items);
        if (train.Count == 0) throw new DatasetException("a dataset needs at least one training image");
        return new ImageFolderDataset(root is null ? null : Path.GetFullPath(root), [.. classes], train,
            valid is null ? [] : Checked(classes, valid));
    }

    /// <summary>
    /// Seeded, stratified hold-out: per class, round(n·fraction) images go to validation, at least one
    /// when the class has two or more and never all of them. A dataset that already has a validation
    /// set (explicit <c>valid/</c>) is returned unchanged, as fast.ai's from_folder prefers it.
    /// </summary>
    public ImageFolderDataset SplitValidation(double fraction = 0.2, int seed = 42)
    {
        if (fraction is not (> 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be between 0 and 1");
        if (Valid.Count > 0) return this;
        var (train, valid) = StratifiedSplit.Split(Train, Classes.Count, fraction, seed);
        return new ImageFolderDataset(Root, Classes, train, valid);
    }

    /// <summary>
    /// Validation = the training images <paramref name="isValid"/> picks (e.g. by a hash of their name), unless that would
    /// leave the validation set empty or a class without training images: then null, and the caller splits otherwise. A
    /// dataset that already has a validation set is returned unchanged.
    /// </summary>
    public ImageFolderDataset? SplitValidationBy(Func<LabelledImage, bool> isValid)
    {
        ArgumentNullException.ThrowIfNull(isValid);
        if (Valid.Count > 0) return this;
        var parts = Train.ToLookup(isValid);
        List<LabelledImage> valid = [.. parts[true]], train = [.. parts[false]];
        if (valid.Count == 0 || ClassCounts(train).Any(c => c == 0)) return null;
        return new ImageFolderDataset(Root, Classes, train, valid);
    }

    /// <summary>Images per class index in <paramref name="items"/> (default: <see cref="Train"/>).</summary>
    public int[] ClassCounts(IEnumerable<LabelledImage>? items = null)
    {
        var counts = new int[Classes.Count];
        foreach (var item in items ?? Train) counts[item.ClassIndex]++;
        return counts;
    }

    /// <summary>
    /// Loss weights n / (k · n_c) over <see cref="Train"/> (scikit-learn's "balanced"), so a rare class
    /// counts as much as a common one; 0 for a class without training images.
    /// </summary>
    public float[] BalancedClassWeights()
    {
        var counts = ClassCounts();
        var total = counts.Sum();
        return [.. counts.Select(c => c == 0 ? 0f : (float)total / (counts.Length * c))];
    }

    /// <summary>SHA-256 (hex) identifying classes, split and file contents; see <see cref="DatasetFingerprint"/>.</summary>
    public string Fingerprint() => DatasetFingerprint.Compute(this);

    private static void RequireTwoClasses(List<string> classes, string folder)
    {
        if (classes.Count < 2)
        {
            throw new DatasetException(
                $"dataset folder '{folder}' has {classes.Count} class folder(s); need at least 2 (one sub-folder per class, e.g. aggressive/ and inline/)");
        }
    }

    private static List<LabelledImage> Collect(string folder, List<string> present, List<string> classes, bool requireEach, string shownFolder)
    {
        var items = new List<LabelledImage>();
        foreach (var name in present)
        {
            var files = FolderScanner.ImagesIn(Path.Combine(folder, name));
            if (files.Count == 0 && requireEach)
            {
                throw new DatasetException($"class folder '{Path.Combine(shownFolder, name)}' has no images ({FolderScanner.Extensions})");
            }
            var index = classes.IndexOf(name);
            items.AddRange(files.Select(f => new LabelledImage(f, index)));
        }
        return items;
    }

    private static List<LabelledImage> Checked(IReadOnlyList<string> classes, IEnumerable<LabelledImage> items)
    {
        var list = items.ToList();
        var bad = list.FirstOrDefault(i => i.ClassIndex < 0 || i.ClassIndex >= classes.Count);
        if (bad is not null) throw new DatasetException($"'{bad.Path}' has class index {bad.ClassIndex}, outside 0..{classes.Count - 1}");
        return list;
    }
}
