using Microsoft.Extensions.Logging;

namespace SkateBot.Discord.Rest;

/// <summary>REST log lines. Only route templates are logged: paths can carry interaction tokens.</summary>
internal static partial class RestLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Waiting {DelayMs} ms for the rate-limit bucket of {Route}")]
    public static partial void BucketWait(ILogger logger, string route, long delayMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Global rate limit: pausing {DelayMs} ms before {Route}")]
    public static partial void GlobalWait(ILogger logger, string route, long delayMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "429 on {Route} (scope {Scope}, global {Global}); retrying after {RetryAfterMs} ms")]
    public static partial void RateLimited(ILogger logger, string route, string scope, bool global, long retryAfterMs);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{Status} on {Route}, attempt {Attempt}; retrying in {DelayMs} ms")]
    public static partial void ServerError(ILogger logger, int status, string route, int attempt, long delayMs);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "{Route} failed: {Status} {Error}")]
    public static partial void Failed(ILogger logger, string route, int status, string error);
}
