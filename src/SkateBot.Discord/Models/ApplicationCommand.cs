namespace SkateBot.Discord.Models;

/// <summary>
/// A slash command definition for the bulk overwrite routes, and the object Discord returns (with ids)
/// (https://discord.com/developers/docs/interactions/application-commands#application-command-object).
/// </summary>
public sealed record ApplicationCommand
{
    public string? Id { get; init; }
    public string? ApplicationId { get; init; }
    public string? GuildId { get; init; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>1 = CHAT_INPUT (slash command).</summary>
    public int Type { get; set; } = 1;
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    /// <summary>A permission bit set as a string, e.g. "0" = administrators only by default.</summary>
    public string? DefaultMemberPermissions { get; init; }
}

public sealed record ApplicationCommandOption
{
    public int Type { get; init; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public bool? Required { get; init; }
}

public static class ApplicationCommandOptionType
{
    public const int String = 3;
    public const int Integer = 4;
    public const int Boolean = 5;
    public const int Attachment = 11;
}
