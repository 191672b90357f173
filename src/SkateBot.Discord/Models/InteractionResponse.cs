namespace SkateBot.Discord.Models;

/// <summary>
/// Body of POST /interactions/{id}/{token}/callback
/// (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object).
/// </summary>
public sealed record InteractionResponse
{
    public int Type { get; init; }
    public InteractionCallbackData? Data { get; init; }

    /// <summary>Type 5: "thinking…"; edit the original response later (token valid 15 min).</summary>
    public static InteractionResponse Deferred(bool ephemeral = false) => new()
    {
        Type = InteractionResponseType.DeferredChannelMessageWithSource,
        Data = ephemeral ? new InteractionCallbackData { Flags = MessageFlags.Ephemeral } : null,
    };

    /// <summary>Type 4 with a message; <paramref name="ephemeral"/> sets flags 64 (only the user sees it).</summary>
    public static InteractionResponse Message(string content, bool ephemeral = false) => new()
    {
        Type = InteractionResponseType.ChannelMessageWithSource,
        Data = new InteractionCallbackData { Content = content, Flags = ephemeral ? MessageFlags.Ephemeral : null },
    };
}

public sealed record InteractionCallbackData
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    public int? Flags { get; init; }
    public IReadOnlyList<AttachmentMetadata>? Attachments { get; init; }
}

public static class InteractionResponseType
{
    public const int Pong = 1;
    public const int ChannelMessageWithSource = 4;
    public const int DeferredChannelMessageWithSource = 5;
    public const int DeferredUpdateMessage = 6;
    public const int UpdateMessage = 7;
}

public static class InteractionType
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int MessageComponent = 3;
}
