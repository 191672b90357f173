using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

/// <summary>
/// Real product photos from ../shared/photos/train (never copied into the repository): the
/// structural truncation checks must not reject any real, complete file.
/// </summary>
public sealed class SharedPhotoTests
{
    [SkippableFact]
    public void LoadBatch_RealTrainingPhotos_AllLoadAndTensorize()
    {
        var folder = FindSharedPhotos();
        Skip.If(folder is null, "../shared/photos/train is not present (only on the development machine)");

        var files = Directory.EnumerateFiles(folder!, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f))).ToList();
        var (loaded, failed) = new ImageLoader().LoadBatch(files);

        Assert.Empty(failed.Select(f => f.Message));
        Assert.Equal(files.Count, loaded.Count);
        foreach (var (_, image) in loaded)
        {
            Assert.Equal(3 * 224 * 224, ImageTensorizer.ToChw(image).Length);
            image.Dispose();
        }
    }

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp" };

    private static string? FindSharedPhotos()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "SkateBot.sln"))) continue;
            var photos = Path.Combine(dir.FullName, "..", "shared", "photos", "train");
            return Directory.Exists(photos) ? Path.GetFullPath(photos) : null;
        }
        return null;
    }
}
