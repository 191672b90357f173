using System.Text.Json;

namespace SkateBot.Discord.Models;

/// <summary>
/// The <c>d</c> of INTERACTION_CREATE (https://discord.com/developers/docs/interactions/receiving-and-responding).
/// The token is valid for 15 minutes; the first response must come within 3 seconds (SOURCES.md, Interactions).
/// </summary>
public sealed record Interaction
{
    public string Id { get; set; } = "";
    public string ApplicationId { get; set; } = "";
    /// <summary>1 ping, 2 application command, 3 message component, 4 autocomplete, 5 modal submit.</summary>
    public int Type { get; init; }
    public InteractionData? Data { get; init; }
    public string? GuildId { get; init; }
    public string? ChannelId { get; init; }
    /// <summary>Set in guilds; <see cref="User"/> is set in DMs instead (protocols/discord file 32).</summary>
    public GuildMember? Member { get; init; }
    public User? User { get; init; }
    public string Token { get; set; } = "";
    public int Version { get; init; }
    public Message? Message { get; init; }

    /// <summary>The user who invoked the interaction, in a guild or a DM.</summary>
    public User? InvokingUser => Member?.User ?? User;
}

public sealed record InteractionData
{
    /// <summary>The command id (a string) or, for components, a number on the wire (file 31).</summary>
    public string? Id { get; init; }
    public string? Name { get; init; }
    public int? Type { get; init; }
    public IReadOnlyList<InteractionOption> Options { get; set; } = [];
    public InteractionResolved? Resolved { get; init; }
    public string? CustomId { get; init; }
    public int? ComponentType { get; init; }

    /// <summary>The option with this name, or null.</summary>
    public InteractionOption? GetOption(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The resolved attachment an attachment option (type 11) points at, or null.</summary>
    public Attachment? GetAttachmentOption(string name)
    {
        var id = GetOption(name)?.ValueAsString();
        return id is not null && Resolved?.Attachments is { } all && all.TryGetValue(id, out var a) ? a : null;
    }
}

public sealed record InteractionOption
{
    public string Name { get; set; } = "";
    public int Type { get; init; }
    /// <summary>String, number, boolean or snowflake, depending on <see cref="Type"/>.</summary>
    public JsonElement? Value { get; init; }
    public IReadOnlyList<InteractionOption>? Options { get; init; }

    public string? ValueAsString() => Value is { } v
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
        : null;
}

/// <summary>Objects referenced by options, keyed by id (attachments for type 11 options).</summary>
public sealed record InteractionResolved
{
    public IReadOnlyDictionary<string, Attachment>? Attachments { get; init; }
    public IReadOnlyDictionary<string, User>? Users { get; init; }
}
