using System.Security.Cryptography;
using System.Text;

namespace SkateBot.Vision.Data;

/// <summary>
/// Identifies the exact data a checkpoint was trained on: SHA-256 over the class list and one line per
/// image, "split, relative path, class name, length, content SHA-256", sorted ordinally. Any added,
/// removed, relabelled, moved-between-splits or edited file changes it; moving the whole root does not.
/// </summary>
internal static class DatasetFingerprint
{
    public static string Compute(ImageFolderDataset dataset)
    {
        var lines = new List<string>(dataset.Train.Count + dataset.Valid.Count);
        lines.AddRange(dataset.Train.Select(i => Line("train", i, dataset)));
        lines.AddRange(dataset.Valid.Select(i => Line("valid", i, dataset)));
        lines.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes("classes\t" + string.Join('\t', dataset.Classes) + "\n"));
        foreach (var line in lines) hash.AppendData(Encoding.UTF8.GetBytes(line));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Line(string split, LabelledImage item, ImageFolderDataset dataset)
    {
        var relative = dataset.Root is null ? item.Path : Path.GetRelativePath(dataset.Root, item.Path);
        relative = relative.Replace('\\', '/');
        try
        {
            using var stream = File.OpenRead(item.Path);
            var content = Convert.ToHexStringLower(SHA256.HashData(stream));
            return $"{split}\t{relative}\t{dataset.Classes[item.ClassIndex]}\t{stream.Length}\t{content}\n";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"cannot read '{relative}' for the dataset fingerprint: {ex.Message}", ex);
        }
    }
}
