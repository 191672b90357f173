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
