using System.Net;
using System.Text.Json;

namespace SkateBot.Discord.Rest;

/// <summary>
/// A Discord REST call failed: built from Discord's error JSON <c>{code, message, errors}</c>
/// (https://discord.com/developers/docs/reference#error-messages). For 50035 "Invalid Form Body" the message also
/// names the first failing field and its <c>_errors</c> message. Never contains the bot or interaction token.
/// </summary>
public sealed class DiscordApiException : Exception
{
    public DiscordApiException(HttpStatusCode statusCode, int? code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public HttpStatusCode StatusCode { get; }
    /// <summary>Discord's JSON error code (e.g. 50013 Missing Permissions, 10008 Unknown Message), if any.</summary>
    public int? Code { get; }

    internal static DiscordApiException FromResponse(HttpStatusCode status, string route, string body, Func<string, string> redact)
    {
        int? code = null;
        string? message = null;
        string? detail = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.DiscordErrorBody);
            code = error?.Code;
            message = error?.Message;
            if (error?.Errors is { ValueKind: JsonValueKind.Object } errors)
                detail = FirstFieldError(errors, "");
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, an empty body): fall back to the status line.
        }
        var text = $"Discord API {(int)status} {status} on {route}: {message ?? "no error message"}";
        if (code is not null) text += $" (code {code})";
        if (detail is not null) text += $"; {detail}";
        return new DiscordApiException(status, code, redact(text));
    }

    /// <summary>Depth-first search for the first <c>_errors</c> array; returns "path: message (CODE)".</summary>
    private static string? FirstFieldError(JsonElement node, string path)
    {
        foreach (var property in node.EnumerateObject())
        {
            if (property.Name == "_errors" && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in property.Value.EnumerateArray())
                {
                    var msg = e.TryGetProperty("message", out var m) ? m.GetString() : null;
                    var c = e.TryGetProperty("code", out var cc) && cc.ValueKind == JsonValueKind.String ? cc.GetString() : null;
                    return $"{(path.Length == 0 ? "(body)" : path)}: {msg}{(c is null ? "" : $" ({c})")}";
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                var found = FirstFieldError(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                if (found is not null) return found;
            }
        }
        return null;
    }
}

/// <summary>Discord's error and 429 bodies share this shape (openapi Error/ErrorResponse/RatelimitedResponse).</summary>
internal sealed record DiscordErrorBody
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public JsonElement? Errors { get; init; }
    public double? RetryAfter { get; init; }
    public bool? Global { get; init; }
}
