using System.Text.Json;

namespace SkateBot.Sandbox.Discord;

/// <summary>
/// A REST request as the fake received it. <see cref="Path"/> is relative to the API base and percent-decoded
/// (e.g. <c>/channels/1/messages/2/reactions/✅/@me</c>); <see cref="RawTarget"/> is exactly what went over the wire.
/// <see cref="Body"/> is the JSON body, or the <c>payload_json</c> part of a multipart request.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string RawTarget,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    string? Body,
    IReadOnlyList<RecordedFile> Files,
    DateTimeOffset At,
    int Status)
{
    /// <summary>The body parsed as JSON (throws when there is none).</summary>
    public JsonElement Json => Body is null
        ? throw new InvalidOperationException($"{Method} {Path} had no JSON body.")
        : JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public bool IsMultipart => ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>One uploaded file part of a multipart request.</summary>
public sealed record RecordedFile(string FieldName, string FileName, string? ContentType, byte[] Content);

/// <summary>A gateway payload the client sent to the fake, with the connection it came on.</summary>
public sealed record RecordedGatewayPayload(int ConnectionId, int Op, JsonElement D, DateTimeOffset At)
{
    public string? GetString(string property) => D.ValueKind == JsonValueKind.Object && D.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A WebSocket connection the client opened to the fake gateway.</summary>
public sealed record FakeGatewayConnectionInfo(int Id, string Path, DateTimeOffset OpenedAt)
{
    /// <summary>The close code the client sent, once it closed; null while open or after a drop without a close frame.</summary>
    public int? ClientCloseCode { get; internal set; }
    public bool Closed { get; internal set; }
}
