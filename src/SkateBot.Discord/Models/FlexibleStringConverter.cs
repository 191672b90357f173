using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkateBot.Discord.Models;

/// <summary>
/// Reads a JSON string, number or boolean into a <see cref="string"/>. Discord documents snowflakes as strings,
/// but some fields arrive as numbers (a message <c>nonce</c> may be an integer: protocols/discord file 20; a
/// component interaction's <c>data.id</c> is a number: file 31). Writing always produces a JSON string.
/// </summary>
public sealed class FlexibleStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(
                reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray()),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => null,
            _ => throw new JsonException($"Expected a string or a number, got {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    // Dictionary keys (e.g. resolved.attachments, keyed by snowflake) are always strings on the wire.
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() ?? "";

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);
}
