namespace SkateBot.Testing.Paths;

/// <summary>Locations tests need: the repository root (found by walking up to SkateBot.sln) and ../shared beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SkateBot.sln"))) return dir.FullName;
        throw new InvalidOperationException($"SkateBot.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    /// <summary>The sibling <c>shared/</c> folder (reference photos and protocol recordings); may be absent.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedPhotos => Path.Combine(Shared, "photos");

    public static string SampleData => Path.Combine(Root, "data", "sample");

    public static string SkipReasonWithoutShared(string what) =>
        $"{what} needs ../shared beside the repository ({Shared} is absent); skipped.";
}

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix ?? "skatebot"}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
