using System.ComponentModel.DataAnnotations;

namespace SkateBot.Discord;

/// <summary>
/// Settings for <see cref="Rest.DiscordRestClient"/> and <see cref="Gateway.DiscordGatewayClient"/>, bound from the
/// <c>Discord</c> configuration section by <see cref="DiscordServiceCollectionExtensions.AddDiscordClient"/> (Discord:Token,
/// Discord:ApiBaseUrl, Discord:Intents, ...). Timing defaults follow the Discord docs; tests shorten them.
/// </summary>
public sealed record DiscordClientOptions
{
    public const string Section = "Discord";

    /// <summary>Default intents: GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES |
    /// DIRECT_MESSAGE_REACTIONS | MESSAGE_CONTENT = 1 + 512 + 1024 + 4096 + 8192 + 32768 (gateway.mdx "List of Intents").</summary>
    public const int DefaultIntents = 46593;

    /// <summary>The bot token (Discord:Token). Never logged.</summary>
    [Required(ErrorMessage = "Discord:Token is required (the bot token from the Developer Portal).")]
    public string Token { get; set; } = "";
    /// <summary>REST base URL (Discord:ApiBaseUrl). The gateway URL comes from GET /gateway/bot on this API.</summary>
    [Required, Url] public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";
    [Range(1, int.MaxValue)] public int Intents { get; set; } = DefaultIntents;
    [Range(0, 10_000)] public int ShardId { get; set; }
    [Range(1, 10_000)] public int ShardCount { get; set; } = 1;
    /// <summary>Skip GET /gateway/bot and connect here (identify limits are then not known in advance).</summary>
    public string? GatewayUrlOverride { get; set; }

    /// <summary>For the documented <c>User-Agent: DiscordBot ($url, $versionNumber)</c> (reference.mdx "User Agent").</summary>
    public string UserAgentUrl { get; set; } = "https://github.com/skatebot/skatebot";
    public string UserAgentVersion { get; set; } = "1.0";

    /// <summary>Attempts per REST request across 429 and 5xx answers before giving up.</summary>
    [Range(1, 20)] public int RestMaxAttempts { get; set; } = 5;
    /// <summary>First back-off after a 500/502/503/504; doubles per attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan RestServerErrorDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>max_concurrency identifies are allowed per this window (gateway.mdx "Session Start Limit": 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan IdentifyConcurrencyWindow { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Wait range after op 9 before identifying again: "a random amount of time between 1 and 5 seconds".</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan InvalidSessionDelayMin { get; set; } = TimeSpan.FromSeconds(1);
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan InvalidSessionDelayMax { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Reconnect back-off after failed attempts: base doubles per failure, capped, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan ReconnectDelayBase { get; set; } = TimeSpan.FromSeconds(1);
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Time to wait for Hello after the socket opens before treating the connection as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
