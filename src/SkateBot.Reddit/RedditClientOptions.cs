namespace SkateBot.Reddit;

/// <summary>
/// Settings bound from the <c>Reddit</c> configuration section (keys <c>Reddit:ClientId</c>, <c>Reddit:ClientSecret</c>,
/// <c>Reddit:Username</c>, <c>Reddit:Password</c>, <c>Reddit:DeviceId</c>, <c>Reddit:UserAgent</c>,
/// <c>Reddit:AuthBaseUrl</c>, <c>Reddit:ApiBaseUrl</c>). The OAuth grant follows from what is set, see <see cref="Grant"/>.
/// </summary>
public sealed class RedditClientOptions
{
    public const string SectionName = "Reddit";

    public string ClientId { get; set; } = "";

    /// <summary>Empty for an "installed app" (device id grant); required for script and web apps.</summary>
    public string ClientSecret { get; set; } = "";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? DeviceId { get; set; }

    /// <summary>Must follow Reddit's form <c>&lt;platform&gt;:&lt;app ID&gt;:&lt;version&gt; (by /u/&lt;username&gt;)</c>.</summary>
    public string UserAgent { get; set; } = "";

    public string AuthBaseUrl { get; set; } = "https://www.reddit.com";

    public string ApiBaseUrl { get; set; } = "https://oauth.reddit.com";

    /// <summary>Budget used until Reddit's x-ratelimit headers have been seen (free tier: 100 QPM, SOURCES.md "Rate limit").</summary>
    public int DefaultRequestsPerMinute { get; set; } = 100;

    /// <summary>Retries for 429, 5xx and timeouts before the error surfaces.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First back-off delay for 5xx/timeouts; doubles per attempt, capped at <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The grant chosen from the settings: Username+Password → script password grant; DeviceId → installed
    /// client grant; otherwise client_credentials (https://github.com/reddit-archive/reddit/wiki/OAuth2).</summary>
    public RedditGrant Grant =>
        !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password) ? RedditGrant.Password
        : !string.IsNullOrEmpty(DeviceId) ? RedditGrant.InstalledClient
        : RedditGrant.ClientCredentials;

    /// <summary>Every problem with these settings, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ClientId))
            errors.Add("Reddit:ClientId is required (the id under the app name at https://www.reddit.com/prefs/apps).");
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            errors.Add("Reddit:Username and Reddit:Password must be set together (script app password grant).");
        if (Grant != RedditGrant.InstalledClient && string.IsNullOrEmpty(ClientSecret))
            errors.Add("Reddit:ClientSecret is required unless Reddit:DeviceId is set for an installed app.");
        if (RedditUserAgent.GetProblem(UserAgent) is { } uaProblem)
            errors.Add("Reddit:UserAgent " + uaProblem);
        CheckUrl(errors, "Reddit:AuthBaseUrl", AuthBaseUrl);
        CheckUrl(errors, "Reddit:ApiBaseUrl", ApiBaseUrl);
        if (DefaultRequestsPerMinute is < 1 or > 1000)
            errors.Add("Reddit:DefaultRequestsPerMinute must be between 1 and 1000.");
        if (MaxRetries is < 0 or > 10)
            errors.Add("Reddit:MaxRetries must be between 0 and 10.");
        if (RequestTimeout <= TimeSpan.Zero)
            errors.Add("Reddit:RequestTimeout must be positive.");
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
            errors.Add("Reddit:InitialBackoff must be >= 0 and <= Reddit:MaxBackoff.");
        return errors;
    }

    /// <summary>Throws <see cref="RedditConfigurationException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
            throw new RedditConfigurationException(errors);
    }

    private static void CheckUrl(List<string> errors, string key, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            errors.Add($"{key} must be an absolute http(s) URL (got '{value}').");
        else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            errors.Add($"{key} must not carry a query or fragment (got '{value}').");
    }
}

public enum RedditGrant
{
    /// <summary><c>grant_type=client_credentials</c>: app-only, read access.</summary>
    ClientCredentials,

    /// <summary><c>grant_type=password</c>: script app acting as its owner (needed to comment).</summary>
    Password,

    /// <summary><c>grant_type=https://oauth.reddit.com/grants/installed_client</c> with a device id, empty secret.</summary>
    InstalledClient,
}
