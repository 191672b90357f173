using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkateBot.Reddit;

/// <summary>Parses Reddit's JSON envelopes (<c>{"kind":"Listing","data":{...}}</c>). Non-t3 children (comments,
/// subreddits from a search redirect) are skipped, not mis-read as posts.</summary>
public static class RedditJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Reads a Listing of links. Throws <see cref="RedditApiException"/> when the body is not a Listing.</summary>
    public static Listing<Post> ParsePostListing(string json)
    {
        using var doc = Parse(json);
        return ReadPostListing(doc.RootElement);
    }

    /// <summary>Reads the submission from a <c>/comments/{id}</c> body (<c>[Listing(t3), Listing(t1)]</c>); null when absent.</summary>
    public static Post? ParseSubmission(string json)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        var first = root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 ? root[0] : root;
        var listing = ReadPostListing(first);
        return listing.Children.Count > 0 ? listing.Children[0] : null;
    }

    internal static Listing<Post> ReadPostListing(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("kind", out var kind) || kind.GetString() != "Listing"
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new RedditApiException("Expected a Reddit Listing but got: " + Excerpt(root.GetRawText()), null);

        var posts = new List<Post>();
        if (data.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in children.EnumerateArray())
            {
                if (child.TryGetProperty("kind", out var k) && k.GetString() == "t3" && child.TryGetProperty("data", out var d))
                    posts.Add(d.Deserialize<Post>(Options) ?? throw new RedditApiException("A t3 child had null data.", null));
            }
        }
        return new Listing<Post>(GetString(data, "after"), GetString(data, "before"), posts);
    }

    internal static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new RedditApiException("Reddit sent a body that is not JSON: " + Excerpt(json), null, ex);
        }
    }

    internal static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A short, single-line piece of a body for error messages (bodies never contain our secrets).</summary>
    internal static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
