namespace SkateBot.Sandbox.Discord;

/// <summary>Settings of a <see cref="FakeDiscordServer"/>. Defaults suit fast tests.</summary>
public sealed record FakeDiscordOptions
{
    /// <summary>The token the fake accepts (REST <c>Authorization: Bot …</c> and gateway Identify/Resume).</summary>
    public string BotToken { get; init; } = "fake-bot-token.Xyz123";
    public string BotUserId { get; init; } = "100000000000000001";
    public string BotUserName { get; init; } = "SkateBot";
    public string ApplicationId { get; init; } = "100000000000000001";
    /// <summary>heartbeat_interval sent in Hello. Real Discord sends about 41 250 ms.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>When false, Identify with GUILD_MEMBERS, GUILD_PRESENCES or MESSAGE_CONTENT is closed with 4014, as for an
    /// app whose privileged intents are not enabled in the developer portal.</summary>
    public bool PrivilegedIntentsEnabled { get; init; } = true;
    /// <summary>session_start_limit returned by GET /gateway/bot.</summary>
    public int SessionStartRemaining { get; init; } = 1000;
    public long SessionStartResetAfterMs { get; init; } = 86_400_000;
    /// <summary>On resume, also replay this many events the client already acknowledged (Discord may overlap), to prove
    /// the client skips what it has already delivered.</summary>
    public int ResumeReplayOverlap { get; init; }
    /// <summary>Gateway events a connection may send per window before the fake closes it with 4008 (Discord: 120 / 60 s).</summary>
    public int GatewaySendLimit { get; init; } = 120;
    public TimeSpan GatewaySendWindow { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long the CDN waits before sending an attachment's bytes, to hold a download (and the classification
    /// behind it) in flight, e.g. while a test stops the bot.</summary>
    public TimeSpan CdnDelay { get; init; }
    /// <summary>How long the fake waits, after storing a message the bot created, before answering its POST: the message
    /// is on Discord (people can see it and react) while the bot does not know its id yet, as on a slow network.</summary>
    public TimeSpan MessageCreateResponseDelay { get; init; }
    /// <summary>How long after its creation an interaction can still be answered (Discord: 3 s); a later callback gets 404
    /// 10062 Unknown interaction, as the person is shown "The application did not respond". Null (the default): always,
    /// so tests on a loaded machine do not fail on time; <see cref="TimeSpan.Zero"/>: never, as for an interaction the bot
    /// sees only after a reconnect.</summary>
    public TimeSpan? InteractionAnswerWithin { get; init; }
    /// <summary>How long after its creation an interaction's token takes edits and follow-ups (Discord: 15 minutes); later
    /// they get 401 50027 Invalid Webhook Token. Null (the default): always.</summary>
    public TimeSpan? InteractionTokenLifetime { get; init; }
    /// <summary>The ids handed out (messages, attachments, interactions) start just above this and increase. The sandbox
    /// starts them at a snowflake of the current time, as Discord's ids carry their creation time, so a sandbox restarted
    /// on the same data folder never hands out an id its bot has already taken up (<see cref="SnowflakeAt"/>).</summary>
    public long FirstId { get; init; } = 200_000_000_000_000_000;

    /// <summary>Discord's snowflake layout: milliseconds since 2015-01-01 in the bits above the low 22.</summary>
    public static long SnowflakeAt(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() - 1_420_070_400_000L) << 22;

    /// <summary>The clock messages are stamped with and the REST and gateway limits count on (tests may move it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
