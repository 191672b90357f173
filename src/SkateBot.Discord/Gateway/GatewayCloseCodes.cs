namespace SkateBot.Discord.Gateway;

internal enum ReconnectAction { Resume, Reidentify, Fatal }

/// <summary>
/// What to do after the gateway closes (opcodes-and-status-codes.mdx, "Gateway Close Event Codes"; table copied in
/// protocols/discord/derived/gateway-close-codes.json). 4007 and 4009 are marked reconnect=true but their text says
/// to start a new session, so they re-identify; reconnect=false codes are fatal; everything else, a close without
/// a code and a plain TCP drop included, resumes.
/// </summary>
internal static class GatewayCloseCodes
{
    public static ReconnectAction Classify(int? code) => code switch
    {
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => ReconnectAction.Fatal,
        4007 or 4009 => ReconnectAction.Reidentify,
        _ => ReconnectAction.Resume,
    };

    /// <summary>A message that tells the operator what to change; fatal codes never fix themselves.</summary>
    public static string FatalMessage(int code, DiscordClientOptions options) => code switch
    {
        4004 => "Discord rejected the bot token (gateway close 4004 / REST 401, authentication failed): the bot token is invalid: set Discord:Token to the token from the developer portal (Bot → Reset Token).",
        4010 => $"Discord closed the gateway with 4010 (invalid shard): Discord:ShardId ({options.ShardId}) must be at least 0 and below Discord:ShardCount ({options.ShardCount}).",
        4011 => "Discord closed the gateway with 4011 (sharding required): the bot is in too many guilds for one connection; raise Discord:ShardCount (GET /gateway/bot recommends a count) and run one process per Discord:ShardId.",
        4012 => "Discord closed the gateway with 4012 (invalid API version): the gateway URL must use v=10; check Discord:ApiBaseUrl (default https://discord.com/api/v10).",
        4013 => $"Discord closed the gateway with 4013 (invalid intents): Discord:Intents ({options.Intents}) is not a valid intents bit set; the default is {DiscordClientOptions.DefaultIntents}.",
        4014 => "Discord closed the gateway with 4014 (disallowed intents): enable the Message Content intent in the developer portal (Bot → Privileged Gateway Intents), or remove it from Discord:Intents.",
        _ => $"Discord closed the gateway with {code}.",
    };
}

/// <summary>The gateway closed with a code that reconnecting cannot fix; the message says what to change.</summary>
public sealed class DiscordGatewayFatalException(int closeCode, string message) : Exception(message)
{
    public int CloseCode { get; } = closeCode;
}
