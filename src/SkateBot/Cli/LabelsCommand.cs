using System.CommandLine;
using SkateBot.Features.Classification;
using SkateBot.Features.Datasets;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision.Imaging;

namespace SkateBot.Cli;

/// <summary><c>labels export|import</c>: resolved labels out as class folders, class folders in as operator labels.</summary>
public static class LabelsCommand
{
    public const string OperatorUser = "operator";

    public static Command Create(Func<CliContext> context)
    {
        var exportDir = new Argument<string>("directory") { Description = "Folder to write <class>/<image>.jpg into." };
        var export = new Command("export", "Write every resolved label as class folders, ready for any other tool (or `train`).") { exportDir };
        export.SetAction(parse =>
        {
            using var ctx = context();
            var root = parse.GetValue(exportDir)!;
            var minVotes = ctx.Options<RetrainingOptions>().MinVotes;
            var count = 0;
            foreach (var label in ctx.Database.ResolvedLabels(minVotes))
            {
                var bytes = ctx.Database.Images.ReadBytes(label.ImageSha);
                if (bytes is null) { ctx.Error.WriteLine($"skipped {label.ImageSha[..12]}: image bytes missing"); continue; }
                var dir = Directory.CreateDirectory(Path.Combine(root, label.ClassName)).FullName;
                // Named by the full SHA-256, so `labels import` of this folder relabels these images instead of adding copies.
                File.WriteAllBytes(Path.Combine(dir, label.ImageSha + ".jpg"), bytes);
                count++;
            }
            ctx.Output.WriteLine($"Exported {count} labelled images to {root}.");
            return 0;
        });

        var importDir = new Argument<string>("directory") { Description = "A folder with one sub-folder per class." };
        var import = new Command("import", "Turn a folder of labelled images into labels from \"operator\".") { importDir };
        import.SetAction(parse =>
        {
            using var ctx = context();
            var (classes, items) = FolderDatasets.All(parse.GetValue(importDir)!);
            int imported = 0, failed = 0;
            foreach (var item in items)
            {
                try
                {
                    var bytes = File.ReadAllBytes(item.Path);
                    var sha = ExportedImage(ctx.Database, item.Path, bytes);
                    if (sha is null)
                    {
                        sha = ClassificationPipeline.Sha256(bytes);
                        using var loaded = ctx.Loader.Load(bytes, item.Path, ImageTensorizer.StoredCopyNeed(ClassificationPipeline.StoredSide));
                        var stored = ImageTensorizer.NormalizedCopy(loaded.Image, ClassificationPipeline.StoredSide);
                        ctx.Database.Images.Put(sha, stored.Jpeg, stored.Width, stored.Height,
                            new ImageOrigin("cli", Path.GetFullPath(item.Path), null, ctx.Time.GetUtcNow()));
                    }
                    ctx.Database.Labels.Vote(sha, classes[item.ClassIndex], OperatorUser, isOperator: true, "cli:labels import");
                    imported++;
                }
                catch (Exception ex) when (ex is ImageLoadException or IOException)
                {
                    failed++;
                    ctx.Error.WriteLine($"skipped {ex.Message}");
                }
            }
            ctx.Output.WriteLine($"Imported {imported} labels ({string.Join(", ", classes)}){(failed > 0 ? $", skipped {failed} unreadable files" : "")}.");
            return failed == 0 ? 0 : CliApp.ExitError;
        });
        return new Command("labels", "Export and import labelled images.") { export, import };
    }

    /// <summary>
    /// A file <c>labels export</c> wrote: named by a stored image's SHA-256 and holding exactly its stored (normalised)
    /// bytes. Hashing those bytes would give a new id, so re-importing an edited export would store every image a second
    /// time (trained on twice, and a copy of a held-out image could land in training) instead of relabelling it.
    /// </summary>
    private static string? ExportedImage(SkateDatabase db, string path, byte[] bytes)
    {
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        if (name.Length != 64 || !name.All(char.IsAsciiHexDigit)) return null;
        return db.Images.ReadBytes(name) is { } stored && stored.AsSpan().SequenceEqual(bytes) ? name : null;
    }
}
