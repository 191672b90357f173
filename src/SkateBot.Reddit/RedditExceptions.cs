using System.Net;

namespace SkateBot.Reddit;

/// <summary>Base type of every error this client raises on purpose.</summary>
public class RedditException : Exception
{
    public RedditException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The settings are unusable; the message names every offending configuration key.</summary>
public sealed class RedditConfigurationException(IReadOnlyList<string> errors)
    : RedditException("Invalid Reddit configuration: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>OAuth failed: bad credentials, wrong app type, missing scope, or a token Reddit keeps rejecting.
/// <see cref="Error"/> is Reddit's OAuth error code when there was one (e.g. <c>invalid_grant</c>).</summary>
public sealed class RedditAuthException(string message, string? error = null, Exception? inner = null)
    : RedditException(message, inner)
{
    public string? Error { get; } = error;
}

/// <summary>Reddit answered with a status we do not turn into data (after retries where retrying applies).</summary>
public class RedditApiException(string message, HttpStatusCode? statusCode, Exception? inner = null)
    : RedditException(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
}

public sealed record ForbiddenSubreddit(string Name, string Reason);

/// <summary>
/// A subreddit cannot be read: 403 (private, quarantined, gold_only; file 13 of the protocol corpus) or 404/redirect
/// (banned, does not exist). The caller should drop it. For a combined <c>a+b+c</c> request the client probes each
/// subreddit alone once, so <see cref="Subreddits"/> names exactly the unreadable ones.
/// </summary>
public sealed class RedditSubredditForbiddenException : RedditApiException
{
    public RedditSubredditForbiddenException(string subreddit, string reason, HttpStatusCode status = HttpStatusCode.Forbidden)
        : this([new ForbiddenSubreddit(subreddit, reason)], status) { }

    public RedditSubredditForbiddenException(IReadOnlyList<ForbiddenSubreddit> subreddits, HttpStatusCode status = HttpStatusCode.Forbidden)
        : base("Subreddit(s) not readable: " + string.Join(", ", subreddits.Select(s => $"r/{s.Name} ({s.Reason})")), status)
    {
        if (subreddits.Count == 0)
            throw new ArgumentException("At least one subreddit is required.", nameof(subreddits));
        Subreddits = subreddits;
    }

    public IReadOnlyList<ForbiddenSubreddit> Subreddits { get; }

    public string Subreddit => Subreddits[0].Name;

    public string Reason => Subreddits[0].Reason;
}
