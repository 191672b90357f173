using Microsoft.Extensions.Logging;

namespace SkateBot.Discord.Gateway;

/// <summary>Gateway log lines; none of them carries the token or a payload that contains it.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connecting to the gateway at {Host} to {Mode}")]
    public static partial void Connecting(ILogger logger, string host, string mode);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Gateway READY as {UserName} ({UserId}), session established")]
    public static partial void Ready(ILogger logger, string userName, string userId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Gateway session resumed at sequence {Sequence}")]
    public static partial void Resumed(ILogger logger, int? sequence);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "No heartbeat ACK since the last heartbeat: zombied connection, reconnecting to resume")]
    public static partial void Zombie(ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Gateway asked us to reconnect (op 7)")]
    public static partial void ReconnectRequested(ILogger logger);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Invalid session (op 9, resumable {Resumable})")]
    public static partial void InvalidSession(ILogger logger, bool resumable);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Gateway closed with {CloseCode} {Description}: {Action}")]
    public static partial void Closed(ILogger logger, int? closeCode, string? description, string action);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Gateway connection failed: {Error}; reconnecting")]
    public static partial void ConnectionFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Waiting {DelayMs} ms before reconnecting")]
    public static partial void Backoff(ILogger logger, long delayMs);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Identify budget used up; waiting {DelayMs} ms for session_start_limit to reset")]
    public static partial void IdentifyBudgetExhausted(ILogger logger, long delayMs);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Gateway stopped: {Reason}")]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "Skipping dispatch {EventName} #{Sequence}: already delivered")]
    public static partial void DuplicateSkipped(ILogger logger, string eventName, int sequence);
}
