namespace SkateBot.Discord.Models;

/// <summary>
/// The <c>d</c> of MESSAGE_REACTION_ADD and MESSAGE_REACTION_REMOVE
/// (https://discord.com/developers/docs/events/gateway-events#message-reaction-add). REMOVE has no member and no
/// message_author_id; payloads before super reactions lack burst and type (protocols/discord files 26, 27), so
/// those are optional here.
/// </summary>
public sealed record MessageReactionEvent
{
    public string UserId { get; set; } = "";
    public string ChannelId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public string? GuildId { get; init; }
    public GuildMember? Member { get; init; }
    public Emoji Emoji { get; set; } = new();
    public string? MessageAuthorId { get; init; }
    public bool? Burst { get; init; }
    public int? Type { get; init; }
}

/// <summary>A partial emoji: unicode emoji have only a name; custom emoji have an id and a name.</summary>
public sealed record Emoji
{
    public string? Id { get; init; }
    public string? Name { get; init; }

    /// <summary>The form the reaction routes take: the unicode character, or <c>name:id</c> for a custom emoji.</summary>
    public string ToReactionString() => Id is null ? Name ?? "" : $"{Name}:{Id}";

    /// <summary>The inverse of <see cref="ToReactionString"/>: "name:id" is a custom emoji, anything else a unicode one.</summary>
    public static Emoji FromReactionString(string reaction)
    {
        var colon = reaction.LastIndexOf(':');
        return colon > 0 && ulong.TryParse(reaction.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? new Emoji { Name = reaction[..colon], Id = reaction[(colon + 1)..] }
            : new Emoji { Name = reaction };
    }
}
