namespace SkateBot.Discord;

/// <summary>
/// Settings for <see cref="Rest.DiscordRestClient"/> and <see cref="Gateway.DiscordGatewayClient"/>; the app binds
/// the <c>Discord</c> configuration section (Discord:Token, Discord:ApiBaseUrl, Discord:Intents, ...). Timing
/// defaults follow the Discord docs; tests shorten them.
/// </summary>
public sealed record DiscordClientOptions
{
    /// <summary>Default intents: GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES |
    /// DIRECT_MESSAGE_REACTIONS | MESSAGE_CONTENT = 1 + 512 + 1024 + 4096 + 8192 + 32768 (gateway.mdx "List of Intents").</summary>
    public const int DefaultIntents = 46593;

    /// <summary>The bot token (Discord:Token). Never logged.</summary>
    public string Token { get; init; } = "";
    /// <summary>REST base URL (Discord:ApiBaseUrl). The gateway URL comes from GET /gateway/bot on this API.</summary>
    public string ApiBaseUrl { get; init; } = "https://discord.com/api/v10";
    public int Intents { get; init; } = DefaultIntents;
    public int ShardId { get; init; }
    public int ShardCount { get; init; } = 1;
    /// <summary>Skip GET /gateway/bot and connect here (identify limits are then not known in advance).</summary>
    public string? GatewayUrlOverride { get; init; }

    /// <summary>For the documented <c>User-Agent: DiscordBot ($url, $versionNumber)</c> (reference.mdx "User Agent").</summary>
    public string UserAgentUrl { get; init; } = "https://github.com/skatebot/skatebot";
    public string UserAgentVersion { get; init; } = "1.0";

    /// <summary>Attempts per REST request across 429 and 5xx answers before giving up.</summary>
    public int RestMaxAttempts { get; init; } = 5;
    /// <summary>First back-off after a 500/502/503/504; doubles per attempt.</summary>
    public TimeSpan RestServerErrorDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>max_concurrency identifies are allowed per this window (gateway.mdx "Session Start Limit": 5 s).</summary>
    public TimeSpan IdentifyConcurrencyWindow { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Wait range after op 9 before identifying again: "a random amount of time between 1 and 5 seconds".</summary>
    public TimeSpan InvalidSessionDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan InvalidSessionDelayMax { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Reconnect back-off after failed attempts: base doubles per failure, capped, with jitter.</summary>
    public TimeSpan ReconnectDelayBase { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Time to wait for Hello after the socket opens before treating the connection as failed.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
