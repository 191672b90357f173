using System.Net;

namespace SkateBot.Reddit;

/// <summary>
/// Finds the still images of a Reddit post. Pure: no I/O, no state. Decisions:
/// <list type="bullet">
/// <item>Skipped, in this order: removed (<c>removed_by_category</c> set, selftext "[removed]"), deleted (author or
/// selftext "[deleted]"), NSFW (<c>over_18</c>) unless <c>includeNsfw</c>, self posts, videos (<c>is_video</c>,
/// v.redd.it, <c>post_hint</c> hosted:video / rich:video).</item>
/// <item>Galleries: every <c>media_metadata</c> entry with status "valid" and e "Image", in <c>gallery_data.items</c>
/// order, using the full-size <c>s.u</c>. "AnimatedImage" entries are left out: they have no still (<c>s.u</c>),
/// only gif/mp4, and a classifier would see one arbitrary frame.</item>
/// <item>Direct images on i.redd.it and i.imgur.com with .jpg/.jpeg/.png/.webp use the original URL (http upgraded to
/// https, both hosts serve it). .gif/.gifv/.mp4 count as animated and are skipped, for the same reason.</item>
/// <item>Any other link post with a preview uses <c>preview.images[0].source.url</c>, unless the preview has gif/mp4
/// variants (animated).</item>
/// <item>Crossposts are followed to <c>crosspost_parent_list[0]</c>; the result names the parent.</item>
/// <item>URLs are HTML-decoded: without <c>raw_json=1</c> Reddit sends <c>&amp;amp;</c> (protocol corpus files 27, 28).</item>
/// </list>
/// </summary>
public static class PostImageExtractor
{
    private static readonly string[] StillExtensions = [".jpg", ".jpeg", ".png", ".webp"];
    private static readonly string[] AnimatedExtensions = [".gif", ".gifv", ".mp4"];
    private static readonly string[] DirectImageHosts = ["i.redd.it", "i.imgur.com"];

    public static ExtractionResult Extract(Post post, bool includeNsfw)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (post.CrosspostParent is not null || post.CrosspostParentList is { Count: > 0 })
            return ExtractCrosspost(post, includeNsfw);
        return ExtractOwn(post, includeNsfw);
    }

    private static ExtractionResult ExtractCrosspost(Post post, bool includeNsfw)
    {
        var parent = post.CrosspostParentList is { Count: > 0 } list ? list[0] : null;
        var sourceName = parent?.Name is { Length: > 0 } n ? n : post.CrosspostParent ?? post.Name;
        if (post.Over18 && !includeNsfw)
            return Skip(sourceName, SkipReasons.Nsfw);
        if (parent is null)
            return Skip(sourceName, SkipReasons.CrosspostParentMissing);
        // One level only: Reddit flattens crossposts of crossposts to the original in crosspost_parent_list.
        return ExtractOwn(parent, includeNsfw) with { SourceFullname = sourceName };
    }

    private static ExtractionResult ExtractOwn(Post post, bool includeNsfw)
    {
        var name = post.Name;
        if (post.RemovedByCategory is not null || post.Selftext == "[removed]")
            return Skip(name, SkipReasons.Removed);
        if (post.Author == "[deleted]" || post.Selftext == "[deleted]")
            return Skip(name, SkipReasons.Deleted);
        if (post.Over18 && !includeNsfw)
            return Skip(name, SkipReasons.Nsfw);
        if (post.IsSelf)
            return Skip(name, SkipReasons.SelfPost);
        var destination = ToUri(post.Destination);
        if (IsVideo(post, destination))
            return Skip(name, SkipReasons.Video);
        if (post.IsGallery == true || post.GalleryData?.Items is { Count: > 0 })
            return Result(name, GalleryImages(post), SkipReasons.NoImage);
        if (destination is not null && DirectImageHosts.Contains(destination.Host, StringComparer.OrdinalIgnoreCase))
        {
            var ext = Path.GetExtension(destination.AbsolutePath).ToLowerInvariant();
            if (StillExtensions.Contains(ext))
                return Result(name, [new PostImage(UpgradeToHttps(destination), null)], SkipReasons.NoImage);
            if (AnimatedExtensions.Contains(ext))
                return Skip(name, SkipReasons.Animated);
        }
        return FromPreview(post);
    }

    private static bool IsVideo(Post post, Uri? destination) =>
        post.IsVideo
        || post.PostHint is "hosted:video" or "rich:video"
        || string.Equals(post.Domain, "v.redd.it", StringComparison.OrdinalIgnoreCase)
        || string.Equals(destination?.Host, "v.redd.it", StringComparison.OrdinalIgnoreCase);

    private static List<PostImage> GalleryImages(Post post)
    {
        var images = new List<PostImage>();
        if (post.GalleryData?.Items is not { } items || post.MediaMetadata is not { } metadata)
            return images;
        foreach (var item in items)
        {
            if (metadata.TryGetValue(item.MediaId, out var media) && media is { Status: "valid", Kind: "Image" }
                && ToUri(media.Source?.Url) is { } url)
                images.Add(new PostImage(url, item.MediaId));
        }
        return images;
    }

    private static ExtractionResult FromPreview(Post post)
    {
        if (post.Preview?.Images is not { Count: > 0 } previews)
            return Skip(post.Name, SkipReasons.NoImage);
        var first = previews[0];
        if (first.Variants is { } variants && (variants.ContainsKey("gif") || variants.ContainsKey("mp4")))
            return Skip(post.Name, SkipReasons.Animated);
        return ToUri(first.Source?.Url) is { } url
            ? Result(post.Name, [new PostImage(url, null)], SkipReasons.NoImage)
            : Skip(post.Name, SkipReasons.NoImage);
    }

    private static Uri? ToUri(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        var decoded = WebUtility.HtmlDecode(raw.Trim());
        return Uri.TryCreate(decoded, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;
    }

    private static Uri UpgradeToHttps(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps ? uri : new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = -1 }.Uri;

    private static ExtractionResult Result(string name, List<PostImage> images, string reasonIfEmpty) =>
        new(name, images, images.Count == 0 ? reasonIfEmpty : null);

    private static ExtractionResult Skip(string name, string reason) => new(name, [], reason);
}
