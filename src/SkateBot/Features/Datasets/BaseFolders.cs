using SkateBot.Configuration;
using SkateBot.Storage;

namespace SkateBot.Features.Datasets;

/// <summary>The base folders a training or retrain uses, and where that choice came from (for messages).</summary>
/// <param name="Folders">Each folder as given and resolved to an absolute path.</param>
/// <param name="Origin">E.g. "Training:BaseFolders" or "v3's recorded base folders", named in errors and progress.</param>
public sealed record BaseFolderChoice(IReadOnlyList<BaseFolderRecord> Folders, string Origin);

/// <summary>
/// Base folder entries: recorded as given plus an absolute path, and chosen for a retrain. An entry may end in a share
/// suffix (<c>#train</c>, <c>#dev</c>: one fixed share of the folder) that only the folder scanner interprets; here it is
/// carried along untouched and only stripped to ask whether the folder exists.
/// </summary>
public static class BaseFolders
{
    /// <summary>What `train` uses without folder arguments, and a retrain when nothing else is known.</summary>
    public const string Default = "data/sample";

    private static readonly string[] ShareSuffixes = ["#train", "#dev"];

    /// <summary>The directory part of an entry: a trailing <c>#train</c>/<c>#dev</c> removed.</summary>
    public static string DirectoryOf(string entry)
    {
        foreach (var suffix in ShareSuffixes)
            if (entry.EndsWith(suffix, StringComparison.Ordinal)) return entry[..^suffix.Length];
        return entry;
    }

    /// <summary>
    /// The name by which the retrain gate holds a base image out (<see cref="Retraining.RetrainingDataset.InHoldout"/>):
    /// its path below the folder, share suffix dropped, forward slashes. <c>train --valid-fraction 0</c> validates on the
    /// same share (<see cref="FolderDatasets.Build"/>).
    /// </summary>
    public static string HeldOutKey(string entry, string imagePath) =>
        Path.GetRelativePath(DirectoryOf(entry), imagePath).Replace('\\', '/');

    /// <summary>Whether the folder an entry names exists (its share suffix ignored).</summary>
    public static bool Exists(string entry) => Directory.Exists(DirectoryOf(entry));

    /// <summary>The entry as given and as an absolute path against <paramref name="workingDirectory"/>, suffix kept.</summary>
    public static BaseFolderRecord Record(string entry, string? workingDirectory = null)
    {
        var directory = DirectoryOf(entry);
        var suffix = entry[directory.Length..];
        var absolute = Path.GetFullPath(directory, workingDirectory ?? Directory.GetCurrentDirectory());
        return new BaseFolderRecord { Given = entry, Resolved = absolute + suffix };
    }

    /// <summary>
    /// The folders `train` uses: its arguments, else <c>Training:BaseFolders</c>, else <see cref="Default"/>. A fresh
    /// training never borrows the champion's folders: what it trains on is what the command line and config say.
    /// </summary>
    public static IReadOnlyList<string> ForTrain(IReadOnlyList<string> arguments, TrainingOptions training) =>
        arguments.Count > 0 ? arguments.Distinct(StringComparer.Ordinal).ToArray()
        : training.BaseFolders.Length > 0 ? training.BaseFolders.Distinct(StringComparer.Ordinal).ToArray()
        : [Default];

    /// <summary>
    /// The folders a retrain uses: <c>Training:BaseFolders</c> when set (an explicit choice wins), else the ones the
    /// champion recorded (absolute, so the working directory does not matter), else <see cref="Default"/>.
    /// </summary>
    public static BaseFolderChoice ForRetrain(TrainingOptions training, ModelVersionRecord? champion, string? workingDirectory = null)
    {
        if (training.BaseFolders.Length > 0)
            return new(training.BaseFolders.Distinct(StringComparer.Ordinal).Select(f => Record(f, workingDirectory)).ToList(), "Training:BaseFolders");
        if (champion is { BaseFolders.Length: > 0 })
            return new(champion.BaseFolders, $"{champion.Version}'s recorded base folders");
        var origin = champion is null ? "the default (no champion yet)" : $"the default ({champion.Version} recorded no base folders)";
        return new([Record(Default, workingDirectory)], origin);
    }

    /// <summary>"data/sample" or "../photos#train (/abs/photos#train)": the given form, plus the absolute one when it differs.</summary>
    public static string Describe(IEnumerable<BaseFolderRecord> folders) =>
        string.Join(", ", folders.Select(f => f.Given == f.Resolved ? f.Given : $"{f.Given} ({f.Resolved})"));
}
