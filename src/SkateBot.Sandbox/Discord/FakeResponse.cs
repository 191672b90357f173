using System.Globalization;
using System.Text.Json;

namespace SkateBot.Sandbox.Discord;

/// <summary>A scripted REST answer (see <see cref="FakeDiscordServer.EnqueueResponse"/>): status, JSON body, headers.</summary>
public sealed record FakeResponse(int Status, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A 429 as documented in rate-limits.mdx: body {message, retry_after, global}, Retry-After (whole seconds, rounded
    /// up) and X-RateLimit-Scope; a global one also has X-RateLimit-Global: true, a user/shared one the bucket headers.</summary>
    public static FakeResponse TooManyRequests(double retryAfterSeconds, string scope = "user", string bucket = "fakebucket")
    {
        var global = scope == "global";
        var headers = new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Ceiling(retryAfterSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = scope,
        };
        if (global)
            headers["X-RateLimit-Global"] = "true";
        else
        {
            headers["X-RateLimit-Limit"] = "5";
            headers["X-RateLimit-Remaining"] = scope == "shared" ? "4" : "0";
            headers["X-RateLimit-Reset-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Bucket"] = bucket;
        }
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["message"] = global ? "You are being rate limited." : scope == "shared" ? "The resource is being rate limited." : "You are being rate limited.",
            ["retry_after"] = retryAfterSeconds,
            ["global"] = global,
        });
        return new FakeResponse(429, body, headers);
    }

    /// <summary>A 5xx as a proxy sends it: an HTML body, no JSON.</summary>
    public static FakeResponse ServerError(int status = 502) =>
        new(status, $"<html><body><h1>{status}</h1></body></html>", new Dictionary<string, string> { ["Content-Type"] = "text/html" });

    /// <summary>Discord's JSON error body {code, message, errors?}; <paramref name="errorsJson"/> is the raw <c>errors</c> object.</summary>
    public static FakeResponse Error(int status, int code, string message, string? errorsJson = null)
    {
        var body = errorsJson is null
            ? JsonSerializer.Serialize(new { code, message })
            : $"{{\"code\":{code},\"errors\":{errorsJson},\"message\":{JsonSerializer.Serialize(message)}}}";
        return new FakeResponse(status, body, new Dictionary<string, string>());
    }
}
