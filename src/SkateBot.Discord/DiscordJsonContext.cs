using System.Text.Json;
using System.Text.Json.Serialization;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;

namespace SkateBot.Discord;

/// <summary>
/// Source-generated System.Text.Json metadata for every payload we read or write. Discord uses snake_case;
/// null fields are left out when writing (a PATCH only changes what it sends). Strings accept numbers and numbers
/// accept strings, because Discord is not consistent about it (see <see cref="FlexibleStringConverter"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    // A JSON null for a property the records declare non-nullable (message.author, author.id, ready.session_id) is a
    // JsonException at the parser, not a NullReferenceException in a handler later (found by GatewayParserFuzzTests).
    RespectNullableAnnotations = true,
    Converters = [typeof(FlexibleStringConverter)])]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(Ready))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(List<Message>))]
[JsonSerializable(typeof(Attachment))]
[JsonSerializable(typeof(MessageReactionEvent))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(GatewayBot))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(GuildMember))]
[JsonSerializable(typeof(DiscordChannel))]
[JsonSerializable(typeof(List<User>))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(MessageCreate))]
[JsonSerializable(typeof(MessageEdit))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationCommand>))]
[JsonSerializable(typeof(IdentifyData))]
[JsonSerializable(typeof(ResumeData))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(DiscordErrorBody))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext
{
    /// <summary>Deserialises <paramref name="element"/> with our options, failing clearly on bad input.</summary>
    /// <summary>Reads a dispatch's <c>d</c>; a missing (undefined) or null one is a <see cref="JsonException"/>, like any
    /// other payload that does not decode, so callers need to catch one type only.</summary>
    internal static T Read<T>(JsonElement element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw new JsonException($"Expected a {typeof(T).Name} object, got {(element.ValueKind == JsonValueKind.Null ? "null" : "nothing")}.");
        return element.Deserialize(info) ?? throw new JsonException($"Expected a {typeof(T).Name} object, got null.");
    }
}
