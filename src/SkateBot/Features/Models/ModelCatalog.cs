using SkateBot.Configuration;
using SkateBot.Storage;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Models;

/// <summary>Checkpoint files plus the registry in storage: which versions exist, which one serves, where its file is.</summary>
public sealed class ModelCatalog(SkateDatabase db, StorageOptions storage)
{
    public ModelRegistry Registry => db.Models;

    public string NextVersion() => db.Models.NextVersion();

    public string PathOf(ModelVersionRecord record) =>
        Path.IsPathRooted(record.FilePath) ? record.FilePath : Path.Combine(storage.FullDataDirectory, record.FilePath);

    public ModelVersionRecord Register(TrainingJobResult result, string? parentVersion, IReadOnlyList<BaseFolderRecord> baseFolders,
        Dictionary<string, double>? extraMetrics = null) =>
        Register(result.CheckpointPath, CheckpointFile.ReadInfo(result.CheckpointPath) with { Version = result.Version }, parentVersion, baseFolders, extraMetrics);

    /// <summary>Registers the checkpoint at <paramref name="checkpointPath"/> whose header is <paramref name="info"/>.</summary>
    public ModelVersionRecord Register(string checkpointPath, CheckpointInfo info, string? parentVersion, IReadOnlyList<BaseFolderRecord> baseFolders,
        Dictionary<string, double>? extraMetrics = null)
    {
        var metrics = info.Metrics.ToDictionary();
        if (extraMetrics is not null) foreach (var (k, v) in extraMetrics) metrics[k] = v;
        return db.Models.Register(new ModelVersionRecord
        {
            Version = info.Version,
            FilePath = Path.GetRelativePath(storage.FullDataDirectory, checkpointPath),
            ParentVersion = parentVersion,
            TrainingFingerprint = info.TrainingFingerprint,
            Metrics = metrics,
            BaseFolders = [.. baseFolders],
        });
    }

    public (ModelVersionRecord Record, string Path)? Champion() =>
        db.Models.Champion() is { } champion ? (champion, PathOf(champion)) : null;

    /// <summary>A checkpoint path from a file path, a registered version, or (null) the current champion.</summary>
    public string ResolveCheckpoint(string? versionOrPath)
    {
        if (!string.IsNullOrWhiteSpace(versionOrPath))
        {
            if (File.Exists(versionOrPath)) return Path.GetFullPath(versionOrPath);
            var record = db.Models.Get(versionOrPath)
                ?? throw new ArgumentException($"No model '{versionOrPath}': not a file and not a registered version (see `models list`).");
            return PathOf(record);
        }
        return Champion()?.Path
            ?? throw new Vision.Inference.ModelNotReadyException("No model has been trained yet: run `dotnet run --project src/SkateBot -- train` first.");
    }
}
