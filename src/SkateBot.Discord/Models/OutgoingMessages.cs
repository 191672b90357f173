namespace SkateBot.Discord.Models;

/// <summary>
/// Body of POST /channels/{id}/messages and of interaction follow-ups
/// (https://discord.com/developers/docs/resources/message#create-message). The REST client always sends
/// <see cref="Models.AllowedMentions.None"/> in place of <see cref="AllowedMentions"/>, so the bot never pings anybody.
/// </summary>
public sealed record MessageCreate
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public MessageReference? MessageReference { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    /// <summary>Metadata for uploaded files; filled in by the client from the files when left null.</summary>
    public IReadOnlyList<AttachmentMetadata>? Attachments { get; init; }
    /// <summary>E.g. <see cref="MessageFlags.Ephemeral"/> for interaction follow-ups.</summary>
    public int? Flags { get; init; }
    /// <summary>Up to 25 characters; with <see cref="EnforceNonce"/> Discord returns the message this author already
    /// created with the same nonce in the past few minutes instead of creating another. The client sets a fresh one on
    /// each <c>CreateMessageAsync</c> that leaves it null, the same for all its retries.</summary>
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }
}

/// <summary>Body of PATCH message / PATCH @original: only the fields set are changed.</summary>
public sealed record MessageEdit
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    /// <summary>Attachments to keep plus new ones (id = file index); filled in from the files when left null.</summary>
    public IReadOnlyList<AttachmentMetadata>? Attachments { get; init; }
    public int? Flags { get; init; }
}

/// <summary>https://discord.com/developers/docs/resources/message#allowed-mentions-object</summary>
public sealed record AllowedMentions
{
    public IReadOnlyList<string> Parse { get; init; } = []; // init: None is shared and must stay none
    public IReadOnlyList<string>? Users { get; init; }
    public IReadOnlyList<string>? Roles { get; init; }
    public bool? RepliedUser { get; init; }

    /// <summary>Mentions nobody, not even the author of the message replied to.</summary>
    public static AllowedMentions None { get; } = new() { Parse = [], RepliedUser = false };
}

/// <summary>An entry of <c>attachments</c> in a JSON/multipart body; for a new upload the id is the file index.</summary>
public sealed record AttachmentMetadata
{
    /// <summary>The file index ("0", "1", ...) for a new upload, or the snowflake of an attachment to keep.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(AttachmentIdConverter))]
    public string Id { get; set; } = "";
    public string? Filename { get; init; }
    public string? Description { get; init; }
}

/// <summary>A file to upload as <c>files[n]</c> in a multipart/form-data request.</summary>
public sealed record FileAttachment(string FileName, ReadOnlyMemory<byte> Content, string ContentType = "application/octet-stream")
{
    public string? Description { get; init; }
}

public static class MessageFlags
{
    /// <summary>Only the invoking user sees the message (interaction responses only).</summary>
    public const int Ephemeral = 1 << 6;
}

/// <summary>Writes a file index as a JSON number (as the docs' examples do) and a snowflake as a string.</summary>
public sealed class AttachmentIdConverter : System.Text.Json.Serialization.JsonConverter<string>
{
    private static readonly FlexibleStringConverter Reader = new();

    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        Reader.Read(ref reader, typeToConvert, options);

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string value, System.Text.Json.JsonSerializerOptions options)
    {
        if (value.Length <= 4 && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            writer.WriteNumberValue(index);
        else
            writer.WriteStringValue(value);
    }
}
