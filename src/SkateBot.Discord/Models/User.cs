namespace SkateBot.Discord.Models;

/// <summary>A Discord user (https://discord.com/developers/docs/resources/user#user-object); only the fields we use.</summary>
public sealed record User
{
    public string Id { get; set; } = "";
    public string Username { get; set; } = "";
    public string? GlobalName { get; init; }
    public string? Discriminator { get; init; }
    public bool? Bot { get; init; }
}

/// <summary>A partial guild member as sent with messages, reactions and interactions.</summary>
public sealed record GuildMember
{
    /// <summary>Absent on MESSAGE_CREATE (the author is the user); present on reactions and interactions.</summary>
    public User? User { get; init; }
    public IReadOnlyList<string> Roles { get; set; } = [];
    public string? Nick { get; init; }
}

/// <summary>The partial application in READY and the full one from GET /applications/@me.</summary>
public sealed record Application
{
    public string Id { get; set; } = "";
    public string? Name { get; init; }
    public long? Flags { get; init; }
}

/// <summary>A channel (https://discord.com/developers/docs/resources/channel#channel-object); only what tells a guild
/// channel (with its guild) from a direct message.</summary>
public sealed record DiscordChannel
{
    public string Id { get; set; } = "";
    /// <summary>0 guild text, 1 DM, 3 group DM, 11/12 threads, …</summary>
    public int Type { get; init; }
    /// <summary>Absent for direct messages.</summary>
    public string? GuildId { get; init; }
}
