using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.Downloads;

public sealed class DownloadOptions
{
    public const string Section = "Downloads";

    /// <summary>Hosts images may come from; a leading dot allows sub-domains (".redd.it").</summary>
    [Required, MinLength(1)] public string[] AllowedHosts { get; set; } =
        ["cdn.discordapp.com", "media.discordapp.net", "i.redd.it", "preview.redd.it", "external-preview.redd.it", "i.imgur.com"];

    /// <summary>Allows plain http to 127.0.0.1/localhost only (the sandbox and tests). Never needed in production.</summary>
    public bool AllowInsecureLoopback { get; set; }

    [Range(1, long.MaxValue)] public long MaxBytes { get; set; } = 20 * 1024 * 1024;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
    [Range(0, 10)] public int MaxRedirects { get; set; } = 3;
}
