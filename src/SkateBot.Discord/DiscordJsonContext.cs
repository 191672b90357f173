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
    Converters = [typeof(FlexibleStringConverter)])]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(Ready))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(Attachment))]
[JsonSerializable(typeof(MessageReactionEvent))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(GatewayBot))]
[JsonSerializable(typeof(User))]
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
    internal static T Read<T>(JsonElement element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        element.Deserialize(info) ?? throw new JsonException($"Expected a {typeof(T).Name} object, got null.");
}
