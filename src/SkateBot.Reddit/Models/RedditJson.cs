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
        RespectNullableAnnotations = true, // a JSON null in a non-nullable field fails here, not as a NullReferenceException later
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
        if (listing.Children.Count == 0 && listing.Skipped.Count > 0)
            throw new RedditApiException("Reddit sent a submission that does not parse: " + listing.Skipped[0], null);
        return listing.Children.Count > 0 ? listing.Children[0] : null;
    }

    internal static Listing<Post> ReadPostListing(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || GetString(root, "kind") != "Listing"
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new RedditApiException("Expected a Reddit Listing but got: " + Excerpt(root.GetRawText()), null);

        var posts = new List<Post>();
        var skipped = new List<string>();
        if (data.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var child in children.EnumerateArray())
            {
                if (GetString(child, "kind") == "t3")
                {
                    if (ReadPost(child, index, out var reason) is { } post) posts.Add(post);
                    else skipped.Add(reason);
                }
                index++;
            }
        }
        return new Listing<Post>(GetString(data, "after"), GetString(data, "before"), posts) { Skipped = skipped };
    }

    /// <summary>One t3 child, or null with the reason it does not parse (fuzzing found wrong types and nulls here).</summary>
    private static Post? ReadPost(JsonElement child, int index, out string reason)
    {
        reason = "";
        var name = child.TryGetProperty("data", out var d) ? GetString(d, "name") : null;
        try
        {
            if (d.ValueKind != JsonValueKind.Object) throw new JsonException("its data is not an object");
            return d.Deserialize<Post>(Options) ?? throw new JsonException("its data is null");
        }
        catch (JsonException ex)
        {
            reason = $"child {index} ({name ?? "no name"}): {ex.Message}";
            return null;
        }
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
