using System.Text;
using System.Text.Json;

namespace SkateBot.Sandbox.Reddit;

/// <summary>A response the fake sends once, instead of its normal answer (see <see cref="FakeRedditServer.ScriptApi"/>
/// and <see cref="FakeRedditServer.ScriptToken"/>). Headers given here override the fake's own x-ratelimit headers.</summary>
public sealed record FakeRedditResponse(int Status, byte[] Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    private const string Json = "application/json; charset=UTF-8";
    private const string Html = "text/html; charset=UTF-8";

    // Framing headers are recomputed by Kestrel; recorded ones would conflict with the body we actually send.
    private static readonly HashSet<string> DroppedRecordedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Content-Type", "Set-Cookie", "Date", "Server",
    };

    /// <summary>How long the fake waits before answering (a slow or hung server; the client's timeout should fire first).</summary>
    public TimeSpan Delay { get; init; }

    public static FakeRedditResponse Text(int status, string body, string? contentType, params (string Name, string Value)[] headers) =>
        new(status, Encoding.UTF8.GetBytes(body), contentType, headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToArray());

    /// <summary>429 with Reddit's HTML "whoa there, pardner!" page and <c>Retry-After</c> (corpus file 08).</summary>
    public static FakeRedditResponse TooManyRequestsHtml(int retryAfterSeconds) =>
        Text(429, "<!doctype html><html><head><title>Too Many Requests</title></head><body><h1>whoa there, pardner!</h1></body></html>",
            Html, ("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>429 with an empty body and no headers (praw issue #2046).</summary>
    public static FakeRedditResponse TooManyRequestsEmpty() => Text(429, "", null);

    /// <summary>401 <c>{"message": "Unauthorized", "error": 401}</c> with <c>WWW-Authenticate … error="invalid_token"</c> (file 09).</summary>
    public static FakeRedditResponse InvalidToken() =>
        Text(401, """{"message": "Unauthorized", "error": 401}""", Json, ("WWW-Authenticate", "Bearer realm=\"reddit\", error=\"invalid_token\""));

    /// <summary>403 for a subreddit: reason "quarantined", "private", "gold_only"… (file 13's shape).</summary>
    public static FakeRedditResponse SubredditForbidden(string reason) =>
        Text(403, JsonSerializer.Serialize(new { reason, message = "Forbidden", error = 403 }), Json);

    /// <summary>404 <c>{"reason": "banned", …}</c> as Reddit sends for a banned subreddit.</summary>
    public static FakeRedditResponse SubredditNotFound(string reason) =>
        Text(404, JsonSerializer.Serialize(new { reason, message = "Not Found", error = 404 }), Json);

    /// <summary>503 with an empty body (file 15).</summary>
    public static FakeRedditResponse ServiceUnavailable() => Text(503, "", Json);

    /// <summary>A token-endpoint error sent as HTTP 200, like <c>{"error": "invalid_grant"}</c> (files 05, 06).</summary>
    public static FakeRedditResponse TokenError(string error, string? description = null) =>
        Text(200, description is null ? JsonSerializer.Serialize(new { error }) : JsonSerializer.Serialize(new { error_description = description, error }), Json);

    /// <summary>A recorded response from the protocol corpus: status, body file and headers from its <c>.meta.json</c>
    /// (e.g. <c>../shared/protocols/reddit/13-subreddit-new-403-quarantined.meta.json</c>).</summary>
    public static FakeRedditResponse FromRecording(string metaJsonPath)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(metaJsonPath));
        var root = meta.RootElement;
        var status = root.TryGetProperty("status", out var s) && s.TryGetProperty("code", out var c) ? c.GetInt32() : 200;
        var bodyFile = Path.Combine(Path.GetDirectoryName(metaJsonPath)!, root.GetProperty("body_file").GetString()!);
        string? contentType = null;
        var headers = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in h.EnumerateObject())
            {
                var value = header.Value.ValueKind == JsonValueKind.Array ? header.Value[0].GetString() : header.Value.GetString();
                if (value is null)
                    continue;
                if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    contentType = value;
                else if (!DroppedRecordedHeaders.Contains(header.Name))
                    headers.Add(KeyValuePair.Create(header.Name, value));
            }
        }
        return new FakeRedditResponse(status, File.ReadAllBytes(bodyFile), contentType, headers);
    }
}
