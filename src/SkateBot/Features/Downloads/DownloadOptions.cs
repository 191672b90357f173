using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.Downloads;

public sealed class DownloadOptions
{
    public const string Section = "Downloads";

    /// <summary>Hosts images may come from; a leading dot allows sub-domains (".redd.it").</summary>
    /// (Empty here because the configuration binder appends to an initialised array; defaults are in config/appsettings.json.)
    [Required, MinLength(1, ErrorMessage = "Downloads:AllowedHosts needs at least one host.")] public string[] AllowedHosts { get; set; } = [];

    /// <summary>Allows plain http to 127.0.0.1/localhost only (the sandbox and tests). Never needed in production.</summary>
    public bool AllowInsecureLoopback { get; set; }

    [Range(1, long.MaxValue)] public long MaxBytes { get; set; } = 20 * 1024 * 1024;
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Downloads:Timeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
    [Range(0, 10)] public int MaxRedirects { get; set; } = 3;
}
