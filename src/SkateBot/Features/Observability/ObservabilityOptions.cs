using System.ComponentModel.DataAnnotations;

namespace SkateBot.Features.Observability;

/// <summary>The <c>Observability</c> section: where <c>serve</c> answers <c>/healthz</c> and <c>/metrics</c>.</summary>
public sealed class ObservabilityOptions : IValidatableObject
{
    public const string Section = "Observability";
    public const string DefaultUrl = "http://127.0.0.1:9464";

    /// <summary>Plain http on one address and port (loopback by default; port 0 picks a free one); empty turns both off.</summary>
    public string Url { get; set; } = DefaultUrl;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>
    /// The URL to serve on: the configured one, <see cref="DefaultUrl"/> when the key is absent, and empty (off) when the
    /// key is present but empty. Read from the keys rather than from the bound options because <c>serve</c> chains its
    /// configuration (<c>AddConfiguration</c>), and a chained source reports an empty value as missing, which would bind
    /// the default and make "empty disables" impossible.
    /// </summary>
    public static string EffectiveUrl(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var key = configuration.GetSection(Section).GetChildren().FirstOrDefault(c => string.Equals(c.Key, nameof(Url), StringComparison.OrdinalIgnoreCase));
        return key is null ? DefaultUrl : key.Value ?? "";
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && ParseUrl(Url) is null)
            yield return new ValidationResult(
                $"{Section}:Url must be empty (off) or http://<address>:<port> with an IP address or localhost, e.g. {DefaultUrl}, not '{Url}'.", [nameof(Url)]);
    }

    /// <summary>The address and port to bind, or null when <paramref name="url"/> is not one Kestrel can listen on as asked.</summary>
    public static System.Net.IPEndPoint? ParseUrl(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query))
            return null;
        var host = uri.Host.Trim('[', ']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.TryParse(host, out var ip) ? ip : null;
        return address is null ? null : new System.Net.IPEndPoint(address, uri.Port);
    }
}
