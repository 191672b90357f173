using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Reddit;

/// <summary>
/// Builds the <c>data</c> object of a t3 post the way Reddit sends it with <c>raw_json=1</c>. The server fills in
/// <c>id</c>, <c>name</c>, <c>permalink</c>, <c>created_utc</c> (and <c>url</c> when absent) on
/// <see cref="FakeRedditServer.AddPost"/>. Change any field on the returned object before adding it, e.g.
/// <c>post["over_18"] = true</c>.
/// </summary>
public static class FakeRedditPost
{
    /// <summary>A single-image post (i.redd.it style): url, post_hint "image" and a preview pointing at the image.</summary>
    public static JsonObject Image(string subreddit, Uri imageUrl, string title = "photo")
    {
        var post = Base(subreddit, title, imageUrl.Host);
        post["url"] = imageUrl.ToString();
        post["url_overridden_by_dest"] = imageUrl.ToString();
        post["post_hint"] = "image";
        post["preview"] = Preview(imageUrl);
        return post;
    }

    /// <summary>A gallery: media_metadata (status valid, e Image, s.u) and gallery_data in the given order.</summary>
    public static JsonObject Gallery(string subreddit, IReadOnlyList<Uri> images, string title = "gallery")
    {
        var post = Base(subreddit, title, "reddit.com");
        post["is_gallery"] = true;
        var metadata = new JsonObject();
        var items = new JsonArray();
        for (var i = 0; i < images.Count; i++)
        {
            var mediaId = $"media{i:D3}{Math.Abs(images[i].GetHashCode()):x}";
            metadata[mediaId] = new JsonObject
            {
                ["status"] = "valid", ["e"] = "Image", ["m"] = "image/jpeg", ["id"] = mediaId,
                ["s"] = new JsonObject { ["u"] = images[i].ToString(), ["x"] = 640, ["y"] = 480 },
            };
            items.Add(new JsonObject { ["media_id"] = mediaId, ["id"] = 100_000 + i });
        }
        post["media_metadata"] = metadata;
        post["gallery_data"] = new JsonObject { ["items"] = items };
        return post;
    }

    /// <summary>A text post (no images).</summary>
    public static JsonObject Self(string subreddit, string text = "just text", string title = "question")
    {
        var post = Base(subreddit, title, "self." + subreddit);
        post["is_self"] = true;
        post["selftext"] = text;
        return post;
    }

    /// <summary>A hosted v.redd.it video (no images).</summary>
    public static JsonObject Video(string subreddit, string title = "clip")
    {
        var post = Base(subreddit, title, "v.redd.it");
        post["is_video"] = true;
        post["post_hint"] = "hosted:video";
        post["url"] = "https://v.redd.it/fakevideo";
        return post;
    }

    /// <summary>A link to another site, with a preview image when <paramref name="previewUrl"/> is given.</summary>
    public static JsonObject Link(string subreddit, Uri url, Uri? previewUrl = null, string title = "link")
    {
        var post = Base(subreddit, title, url.Host);
        post["url"] = url.ToString();
        post["post_hint"] = previewUrl is null ? null : "link";
        if (previewUrl is not null)
            post["preview"] = Preview(previewUrl);
        return post;
    }

    private static JsonObject Preview(Uri source) => new()
    {
        ["images"] = new JsonArray(new JsonObject
        {
            ["source"] = new JsonObject { ["url"] = source.ToString(), ["width"] = 640, ["height"] = 480 },
            ["resolutions"] = new JsonArray(),
            ["variants"] = new JsonObject(),
            ["id"] = "preview",
        }),
        ["enabled"] = true,
    };

    private static JsonObject Base(string subreddit, string title, string domain) => new()
    {
        ["subreddit"] = subreddit,
        ["author"] = "fake_author",
        ["title"] = title,
        ["domain"] = domain,
        ["is_self"] = false,
        ["is_video"] = false,
        ["over_18"] = false,
        ["spoiler"] = false,
        ["removed_by_category"] = null,
        ["selftext"] = "",
        ["crosspost_parent"] = null,
    };
}
