using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SkateBot.Reddit;

/// <summary>
/// Reddit's OAuth API as the bot needs it: new posts of subreddits, a single post, and (unused by default) comments.
/// Every call goes through the rate limiter, token refresh and retry rules of <see cref="RedditApiSender"/>.
/// Listings: https://github.com/reddit-archive/reddit/wiki/JSON; paging by fullname (<c>t3_…</c>), limit ≤ 100.
/// </summary>
public sealed partial class RedditApiClient
{
    public const int MaxLimit = 100;

    private readonly RedditApiSender _sender;
    private readonly ILogger _logger;

    /// <param name="http">Used for both the token and the API host; its handler must not add auth headers.</param>
    public RedditApiClient(HttpClient http, RedditClientOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<RedditApiClient>();
        RateLimiter = new RedditRateLimiter(timeProvider, options.DefaultRequestsPerMinute);
        var tokens = new RedditTokenProvider(http, options, timeProvider, loggerFactory.CreateLogger<RedditTokenProvider>());
        _sender = new RedditApiSender(http, options, tokens, RateLimiter, timeProvider, _logger);
    }

    /// <summary>The limiter all calls pass through (exposed for diagnostics).</summary>
    public RedditRateLimiter RateLimiter { get; }

    /// <summary>
    /// One page of <c>/r/a+b+c/new</c> (a single combined request). Pass at most one of <paramref name="before"/>
    /// (only posts newer than that fullname) and <paramref name="after"/> (posts older than it).
    /// Throws <see cref="RedditSubredditForbiddenException"/> naming the unreadable subreddit(s): when a combined
    /// request is refused, each subreddit is probed alone once (limit=1) to find which; the caller should drop those
    /// and ask again.
    /// </summary>
    public async Task<Listing<Post>> GetNewAsync(
        IReadOnlyList<string> subreddits, string? before, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subreddits);
        if (subreddits.Count == 0)
            throw new ArgumentException("At least one subreddit is required.", nameof(subreddits));
        foreach (var s in subreddits)
            ValidateSubreddit(s);
        if (before is not null && after is not null)
            throw new ArgumentException("Pass either before or after, not both.", nameof(after));
        ValidateFullname(before, nameof(before));
        ValidateFullname(after, nameof(after));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);

        var joined = string.Join('+', subreddits);
        var query = $"r/{joined}/new?limit={limit}"
            + (before is null ? "" : "&before=" + before)
            + (after is null ? "" : "&after=" + after);
        var response = await _sender.SendAsync(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
        if (UnavailableReason(response) is not { } reason)
        {
            if (!response.IsSuccess)
                throw new RedditApiException($"Reddit answered {(int)response.Status} for r/{joined}/new: {RedditJson.Excerpt(response.Body)}", response.Status);
            var listing = RedditJson.ParsePostListing(response.Body);
            foreach (var skipped in listing.Skipped) RedditLog.PostSkipped(_logger, joined, skipped);
            return listing;
        }
        if (subreddits.Count == 1)
            throw new RedditSubredditForbiddenException(subreddits[0], reason, response.Status);
        throw await ProbeAsync(subreddits, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of <c>/r/{subreddit}/new</c>; see the list overload.</summary>
    public Task<Listing<Post>> GetNewAsync(
        string subreddit, string? before, string? after, int limit, CancellationToken cancellationToken = default) =>
        GetNewAsync([subreddit], before, after, limit, cancellationToken);

    /// <summary>The post with this id (<c>abc123</c> or <c>t3_abc123</c>) via <c>/comments/{id}</c>, or null when
    /// Reddit has no such post. Use it to fetch a crosspost parent that a listing did not include.</summary>
    public async Task<Post?> GetPostAsync(string idOrFullname, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrFullname);
        var id = idOrFullname.StartsWith("t3_", StringComparison.Ordinal) ? idOrFullname[3..] : idOrFullname;
        if (!Base36Id().IsMatch(id))
            throw new ArgumentException($"'{idOrFullname}' is not a Reddit post id.", nameof(idOrFullname));
        var response = await _sender.SendAsync(HttpMethod.Get, $"comments/{id}?limit=1", null, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
            return null;
        if (!response.IsSuccess)
            throw new RedditApiException($"Reddit answered {(int)response.Status} for post {id}: {RedditJson.Excerpt(response.Body)}", response.Status);
        return RedditJson.ParseSubmission(response.Body);
    }

    /// <summary>Comments on a post or comment (POST /api/comment) and returns the new comment's fullname. Needs the
    /// password grant (a user); the bot does not call this unless configured to.</summary>
    public async Task<string> SubmitCommentAsync(string thingId, string text, CancellationToken cancellationToken = default)
    {
        if (thingId is null || !CommentableFullname().IsMatch(thingId))
            throw new ArgumentException($"'{thingId}' is not a post (t3_) or comment (t1_) fullname.", nameof(thingId));
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Length > 10_000)
            throw new ArgumentException("Reddit comments are limited to 10000 characters.", nameof(text));
        var form = new Dictionary<string, string> { ["api_type"] = "json", ["thing_id"] = thingId, ["text"] = text };
        var response = await _sender.SendAsync(HttpMethod.Post, "api/comment", form, cancellationToken).ConfigureAwait(false);
        if (response.InsufficientScope)
            throw new RedditAuthException("insufficient_scope: commenting needs a user token (set Reddit:Username/Reddit:Password for a script app).", "insufficient_scope");
        if (!response.IsSuccess)
            throw new RedditApiException($"Reddit answered {(int)response.Status} to a comment: {RedditJson.Excerpt(response.Body)}", response.Status);
        return ReadCommentName(response.Body);
    }

    private static void ValidateSubreddit(string? name)
    {
        if (name is null || !SubredditName().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a subreddit name (2-21 letters, digits or '_', without 'r/').", nameof(name));
    }

    private static void ValidateFullname(string? fullname, string parameter)
    {
        if (fullname is not null && !PostFullname().IsMatch(fullname))
            throw new ArgumentException($"'{fullname}' is not a post fullname like 't3_abc123'.", parameter);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_]{1,20}$")]
    private static partial Regex SubredditName();

    [GeneratedRegex("^t3_[0-9a-z]{1,13}$")]
    private static partial Regex PostFullname();

    [GeneratedRegex("^t[13]_[0-9a-z]{1,13}$")]
    private static partial Regex CommentableFullname();

    [GeneratedRegex("^[0-9a-z]{1,13}$")]
    private static partial Regex Base36Id();
}
