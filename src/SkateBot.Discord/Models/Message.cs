namespace SkateBot.Discord.Models;

/// <summary>
/// A message as received in MESSAGE_CREATE or returned by REST
/// (https://discord.com/developers/docs/resources/message#message-object). Unknown fields are ignored.
/// Properties with defaults use <c>set</c>: the source generator resets absent <c>init</c> properties to null.
/// Without the MESSAGE_CONTENT intent, content/embeds/attachments are empty for most messages (SOURCES.md, Intents).
/// </summary>
public sealed record Message
{
    public string Id { get; set; } = "";
    public string ChannelId { get; set; } = "";
    public string? GuildId { get; init; }
    public User Author { get; set; } = new();
    public string Content { get; set; } = "";
    public IReadOnlyList<Attachment> Attachments { get; set; } = [];
    public IReadOnlyList<Embed> Embeds { get; set; } = [];
    public MessageReference? MessageReference { get; init; }
    /// <summary>Partial member; missing for DMs, webhooks and ephemeral messages.</summary>
    public GuildMember? Member { get; init; }
    /// <summary>A string or an integer on the wire (protocols/discord file 20); always text here.</summary>
    public string? Nonce { get; init; }
    public int Type { get; init; }
    public long? Flags { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? WebhookId { get; init; }
    /// <summary>The reactions on the message (REST and MESSAGE_CREATE of an edited copy); absent when it has none.</summary>
    public IReadOnlyList<Reaction>? Reactions { get; init; }
}

/// <summary>One emoji's reactions on a message (https://discord.com/developers/docs/resources/message#reaction-object):
/// how many people, and whether the bot is one of them. Who they are takes GET …/reactions/{emoji}.</summary>
public sealed record Reaction
{
    public int Count { get; init; }
    public ReactionCountDetails? CountDetails { get; init; }
    public bool Me { get; init; }
    public bool? MeBurst { get; init; }
    public Emoji Emoji { get; set; } = new();
}

/// <summary>Normal and super (burst) reactions counted apart.</summary>
public sealed record ReactionCountDetails
{
    public int Burst { get; init; }
    public int Normal { get; init; }
}

/// <summary>An uploaded file (https://discord.com/developers/docs/resources/message#attachment-object).</summary>
public sealed record Attachment
{
    public string Id { get; set; } = "";
    public string Filename { get; set; } = "";
    public string? ContentType { get; init; }
    public long Size { get; init; }
    public string Url { get; set; } = "";
    public string ProxyUrl { get; set; } = "";
    public int? Width { get; init; }
    public int? Height { get; init; }
    public bool? Ephemeral { get; init; }
}

/// <summary>
/// A reference to another message. Sent with a reply (message_id, channel_id, fail_if_not_exists:false so a
/// deleted original does not fail our reply); received on replies and crossposts.
/// </summary>
public sealed record MessageReference
{
    public string? MessageId { get; init; }
    public string? ChannelId { get; init; }
    public string? GuildId { get; init; }
    public bool? FailIfNotExists { get; init; }

    /// <summary>A reply reference that does not fail when the original was deleted meanwhile.</summary>
    public static MessageReference ReplyTo(string messageId, string? channelId = null) =>
        new() { MessageId = messageId, ChannelId = channelId, FailIfNotExists = false };
}
