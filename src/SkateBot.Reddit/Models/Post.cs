using System.Text.Json.Serialization;

namespace SkateBot.Reddit;

/// <summary>
/// A link ("t3") as Reddit's listings return it; only the fields the bot reads. Field names are Reddit's, see
/// https://github.com/reddit-archive/reddit/wiki/JSON. URLs are kept as sent: without <c>raw_json=1</c> they carry
/// <c>&amp;amp;</c>, which <see cref="PostImageExtractor"/> decodes.
/// </summary>
public sealed record Post
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("subreddit")] public string Subreddit { get; init; } = "";
    [JsonPropertyName("author")] public string? Author { get; init; }
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("permalink")] public string Permalink { get; init; } = "";
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("url_overridden_by_dest")] public string? UrlOverriddenByDest { get; init; }
    [JsonPropertyName("domain")] public string? Domain { get; init; }
    [JsonPropertyName("is_self")] public bool IsSelf { get; init; }
    [JsonPropertyName("is_video")] public bool IsVideo { get; init; }
    [JsonPropertyName("is_gallery")] public bool? IsGallery { get; init; }
    [JsonPropertyName("over_18")] public bool Over18 { get; init; }
    [JsonPropertyName("removed_by_category")] public string? RemovedByCategory { get; init; }
    [JsonPropertyName("selftext")] public string? Selftext { get; init; }
    [JsonPropertyName("post_hint")] public string? PostHint { get; init; }
    [JsonPropertyName("preview")] public Preview? Preview { get; init; }
    [JsonPropertyName("media_metadata")] public IReadOnlyDictionary<string, MediaMetadataItem?>? MediaMetadata { get; init; }
    [JsonPropertyName("gallery_data")] public GalleryData? GalleryData { get; init; }
    [JsonPropertyName("crosspost_parent")] public string? CrosspostParent { get; init; }
    [JsonPropertyName("crosspost_parent_list")] public IReadOnlyList<Post>? CrosspostParentList { get; init; }
    [JsonPropertyName("created_utc")] public double CreatedUtc { get; init; }

    [JsonIgnore] public DateTimeOffset Created => DateTimeOffset.FromUnixTimeMilliseconds((long)(CreatedUtc * 1000));

    /// <summary>Where a link post points: <c>url_overridden_by_dest</c> when present, else <c>url</c>.</summary>
    [JsonIgnore] public string? Destination => string.IsNullOrEmpty(UrlOverriddenByDest) ? Url : UrlOverriddenByDest;
}

public sealed record Preview
{
    [JsonPropertyName("images")] public IReadOnlyList<PreviewImage>? Images { get; init; }
}

public sealed record PreviewImage
{
    [JsonPropertyName("source")] public PreviewSource? Source { get; init; }

    /// <summary>Present for animated posts ("gif", "mp4") and for blurred NSFW/spoiler renditions ("nsfw", "obfuscated").</summary>
    [JsonPropertyName("variants")] public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Variants { get; init; }
}

public sealed record PreviewSource
{
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("width")] public int Width { get; init; }
    [JsonPropertyName("height")] public int Height { get; init; }
}

/// <summary>One entry of <c>media_metadata</c>: status "valid"/"unprocessed"/"failed", e "Image"/"AnimatedImage"/"RedditVideo".</summary>
public sealed record MediaMetadataItem
{
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("e")] public string? Kind { get; init; }
    [JsonPropertyName("m")] public string? MimeType { get; init; }
    [JsonPropertyName("s")] public MediaSource? Source { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
}

/// <summary><c>s</c> of a media_metadata entry: <c>u</c> for images, <c>gif</c>/<c>mp4</c> for animated ones.</summary>
public sealed record MediaSource
{
    [JsonPropertyName("u")] public string? Url { get; init; }
    [JsonPropertyName("gif")] public string? Gif { get; init; }
    [JsonPropertyName("mp4")] public string? Mp4 { get; init; }
    [JsonPropertyName("x")] public int Width { get; init; }
    [JsonPropertyName("y")] public int Height { get; init; }
}

public sealed record GalleryData
{
    [JsonPropertyName("items")] public IReadOnlyList<GalleryItem>? Items { get; init; }
}

public sealed record GalleryItem
{
    [JsonPropertyName("media_id")] public string MediaId { get; init; } = "";
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("caption")] public string? Caption { get; init; }
}
