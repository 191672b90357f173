using System.ComponentModel.DataAnnotations;

namespace SkateBot.Storage;

/// <summary>The <c>Storage</c> section: where the database, the checkpoints and the run reports live.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section this class binds.</summary>
    public const string Section = "Storage";

    /// <summary>The data directory (relative to the working directory unless rooted).</summary>
    [Required] public string DataDirectory { get; set; } = "data/";

    /// <summary><see cref="DataDirectory"/> made absolute.</summary>
    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>Where checkpoints are kept.</summary>
    public string ModelsDirectory => Path.Combine(FullDataDirectory, "models");

    /// <summary>Where training and evaluation reports are written.</summary>
    public string RunsDirectory => Path.Combine(FullDataDirectory, "runs");

    /// <summary>Frozen-body features kept across retrains and <c>train</c> runs (SkateBot.Vision's FeatureCache).</summary>
    public string FeatureCacheDirectory => Path.Combine(FullDataDirectory, "cache", "features");
}
