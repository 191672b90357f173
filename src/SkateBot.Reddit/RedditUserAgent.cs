using System.Text.RegularExpressions;

namespace SkateBot.Reddit;

/// <summary>
/// Reddit asks for <c>&lt;platform&gt;:&lt;app ID&gt;:&lt;version string&gt; (by /u/&lt;reddit username&gt;)</c> and
/// "drastically limits" default agents such as "Python/urllib" or "Java"
/// (https://github.com/reddit-archive/reddit/wiki/API, Reddit Data API Wiki). We refuse anything else up front so a
/// misconfigured bot fails at start instead of being throttled or blocked later.
/// </summary>
public static partial class RedditUserAgent
{
    // Library / browser defaults and spoofs that Reddit throttles; matched anywhere, case-insensitively.
    private static readonly string[] GenericMarkers =
    [
        "mozilla/", "python-requests", "python-urllib", "python/", "curl/", "wget/", "java/", "okhttp",
        "go-http-client", "libwww-perl", "httpclient", "axios/", "node-fetch", "postmanruntime",
    ];

    private static readonly string[] PlaceholderUsers = ["username", "your_username", "yourusername", "reddit_username", "user"];

    [GeneratedRegex(@"^(?<platform>[A-Za-z0-9._-]+):(?<app>[A-Za-z0-9._-]+):(?<version>[A-Za-z0-9._+-]+) \(by /?u/(?<user>[A-Za-z0-9_-]{3,20})\)$")]
    private static partial Regex Form();

    /// <summary>Null when <paramref name="userAgent"/> is acceptable, otherwise why not (starts lower-case, fits after the key name).</summary>
    public static string? GetProblem(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
            return "is required, in Reddit's form '<platform>:<app ID>:<version> (by /u/<username>)', e.g. 'linux:skatebot:1.0.0 (by /u/yourname)'.";
        foreach (var marker in GenericMarkers)
        {
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase))
                return $"'{userAgent}' looks like a generic or spoofed client ('{marker}'); Reddit throttles those. Use '<platform>:<app ID>:<version> (by /u/<username>)'.";
        }
        var match = Form().Match(userAgent);
        if (!match.Success)
            return $"'{userAgent}' does not follow Reddit's form '<platform>:<app ID>:<version> (by /u/<username>)', e.g. 'linux:skatebot:1.0.0 (by /u/yourname)'.";
        if (PlaceholderUsers.Contains(match.Groups["user"].Value, StringComparer.OrdinalIgnoreCase))
            return $"'{userAgent}' still has a placeholder username; put the Reddit account that runs the bot after /u/.";
        if (match.Groups["app"].Value.Equals("java", StringComparison.OrdinalIgnoreCase))
            return $"'{userAgent}' uses a generic app ID; name your application.";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the user agent is not acceptable.</summary>
    public static void Validate(string? userAgent)
    {
        if (GetProblem(userAgent) is { } problem)
            throw new ArgumentException("Reddit user agent " + problem, nameof(userAgent));
    }
}
