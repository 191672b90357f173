using System.Net;
using Microsoft.Extensions.Logging;

namespace SkateBot.Reddit;

/// <summary>Source-generated log messages. None of them carries a token, secret or password.</summary>
internal static partial class RedditLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Reddit token obtained ({Grant} grant), valid for {Lifetime}")]
    public static partial void TokenObtained(ILogger logger, RedditGrant grant, TimeSpan lifetime);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Reddit {Endpoint} request failed ({Reason}); retry {Attempt} in {Delay}")]
    public static partial void TransientRetry(ILogger logger, string endpoint, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Reddit rate limit hit (429) on {Path}; waiting {Delay} (retry {Attempt})")]
    public static partial void RateLimited(ILogger logger, string path, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Reddit rejected the access token (401) on {Path}; refreshing it and retrying once")]
    public static partial void TokenRejected(ILogger logger, string path);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Reddit {Method} {Path} -> {Status}; ratelimit remaining {Remaining}, used {Used}, reset {Reset}")]
    public static partial void Response(ILogger logger, string method, string path, HttpStatusCode status, string? remaining, string? used, string? reset);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Reddit answered 403 for r/{Subreddits}; probing each subreddit alone")]
    public static partial void ProbingForbidden(ILogger logger, string subreddits);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Reddit listing r/{Subreddits}/new: skipped a post that does not parse ({Reason})")]
    public static partial void PostSkipped(ILogger logger, string subreddits, string reason);
}
