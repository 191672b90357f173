namespace SkateBot.Vision.Data;

/// <summary>Finds class folders and image files on disk for <see cref="ImageFolderDataset.Scan"/>.</summary>
internal static class FolderScanner
{
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(
        [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"], StringComparer.OrdinalIgnoreCase);

    // On Unix .NET reports dot-files as Hidden, so this skips ".DS_Store", "._x.jpg" and ".git/" too.
    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        IgnoreInaccessible = true,
    };

    private static readonly EnumerationOptions TopLevel = new()
    {
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        IgnoreInaccessible = true,
    };

    /// <summary>Visible sub-folder names, ordinal-sorted (so class indices do not depend on culture or disk order).</summary>
    public static List<string> ClassFolders(string folder)
    {
        var names = Directory.EnumerateDirectories(folder, "*", TopLevel)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.'))
            .ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Image files under <paramref name="classFolder"/> at any depth, ordinal-sorted.</summary>
    public static List<string> ImagesIn(string classFolder)
    {
        var files = Directory.EnumerateFiles(classFolder, "*", Recursive)
            .Where(path => ImageExtensions.Contains(Path.GetExtension(path)) && !IsHidden(path, classFolder))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Belt and braces for file systems where the Hidden attribute is not derived from the dot.</summary>
    private static bool IsHidden(string path, string root) =>
        Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));

    public static string Extensions => string.Join(" ", ImageExtensions.Order(StringComparer.Ordinal));
}
