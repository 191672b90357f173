namespace SkateBot.Sandbox.Reddit;

/// <summary>Which part of the fake a request went to.</summary>
public enum FakeRedditHost
{
    /// <summary>The token endpoint (www.reddit.com).</summary>
    Auth,

    /// <summary>The OAuth API (oauth.reddit.com); these count against the rate-limit budget.</summary>
    Api,

    /// <summary>The image CDN (i.redd.it-like).</summary>
    Cdn,
}

/// <summary>One request as the fake saw it. <see cref="Path"/> is relative to the host's base URL (e.g.
/// <c>/r/a+b/new</c>); <see cref="GrantType"/> is set for token requests; <see cref="OverBudget"/> marks an API request
/// sent after the window's budget was used up (a rate-limit violation).</summary>
public sealed record FakeRedditRequest(
    DateTimeOffset Time,
    FakeRedditHost Host,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    string? UserAgent,
    string? GrantType,
    int Status,
    bool OverBudget);
