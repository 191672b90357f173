using System.ComponentModel.DataAnnotations;

namespace SkateBot.Vision;

/// <summary>The <c>Images</c> section: the limits every photo is checked against before it is decoded.</summary>
public sealed class ImagesOptions
{
    public const string Section = "Images";
    [Range(1, long.MaxValue)] public long MaxPixels { get; set; } = 40_000_000;
    [Range(1, long.MaxValue)] public long MaxBytes { get; set; } = 20 * 1024 * 1024;
    /// <summary>Images decoded at once by the service; more wait their turn, so a burst of huge photos cannot multiply the
    /// decode buffers (0: one per core).</summary>
    [Range(0, 256)] public int MaxConcurrentDecodes { get; set; }

    public int EffectiveConcurrentDecodes => MaxConcurrentDecodes > 0 ? MaxConcurrentDecodes : Environment.ProcessorCount;
}
