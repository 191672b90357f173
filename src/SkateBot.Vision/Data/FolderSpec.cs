using System.Security.Cryptography;
using System.Text;

namespace SkateBot.Vision.Data;

/// <summary>Which files of a folder a dataset uses: all, or one side of the fixed dev split.</summary>
public enum FolderShare { All, Train, Dev }

/// <summary>
/// A dataset folder as named on the command line or in configuration: a path, optionally followed by <c>#train</c> or
/// <c>#dev</c> to take only that share of its files. The dev share is <see cref="DevPercent"/>% of the files, chosen by a
/// hash of the file name alone, so it is the same on every machine, in every run and whatever folder the file sits in:
/// <c>train ../shared/photos/train ../shared/photos/wild#train</c> never sees a photo that <c>eval ../shared/photos/wild#dev</c>
/// measures.
/// </summary>
public readonly record struct FolderSpec(string Path, FolderShare Share)
{
    public const int DevPercent = 30;

    public static FolderSpec Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        if (spec.EndsWith("#train", StringComparison.Ordinal)) return new(spec[..^"#train".Length], FolderShare.Train);
        if (spec.EndsWith("#dev", StringComparison.Ordinal)) return new(spec[..^"#dev".Length], FolderShare.Dev);
        return new(spec, FolderShare.All);
    }

    /// <summary>Whether a file (by its name, not its path) belongs to the dev share.</summary>
    public static bool IsDev(string fileName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(fileName)));
        return BitConverter.ToUInt32(hash, 0) % 100 < DevPercent;
    }

    public bool Includes(string file) => Share switch
    {
        FolderShare.Train => !IsDev(file),
        FolderShare.Dev => IsDev(file),
        _ => true,
    };

    public override string ToString() => Share switch { FolderShare.Train => Path + "#train", FolderShare.Dev => Path + "#dev", _ => Path };
}
