using Microsoft.Extensions.Logging;

namespace SkateBot.Features.RedditScanning;

public sealed partial class RedditScanner
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Scanning r/{Subreddits} every {Interval} (first start backfills at most {Backfill} posts).")]
    private static partial void LogStarting(ILogger logger, string subreddits, TimeSpan interval, int backfill);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reddit poll: {Summary}.")]
    private static partial void LogPolled(ILogger logger, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No model is serving yet; Reddit posts wait and the scan position does not move.")]
    private static partial void LogNoModel(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "r/{Subreddit} is not readable ({Reason}); it is dropped from the scan until the next start.")]
    private static partial void LogDropped(ILogger logger, string subreddit, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "No readable subreddit is left in Reddit:Subreddits; Reddit scanning stops (the rest of the bot keeps running).")]
    private static partial void LogNothingLeft(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Limit} or more new posts in r/{Subreddits} since the last poll; older ones beyond Reddit:MaxPostsPerPoll were skipped.")]
    private static partial void LogMaybeMissed(ILogger logger, int limit, string subreddits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reddit poll failed ({Kind}: {Reason}); trying again at the next poll from the same position.")]
    private static partial void LogTransient(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Reddit scanning cannot run: {Reason} Check the Reddit:* settings; the bot stops.")]
    private static partial void LogFatalReddit(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Reddit scanning failed unexpectedly; the bot stops.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
