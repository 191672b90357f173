namespace SkateBot.Reddit;

/// <summary>An image found in a post. <see cref="MediaId"/> is the gallery media id (null for single images).</summary>
public sealed record PostImage(Uri Url, string? MediaId);

/// <summary>
/// What <see cref="PostImageExtractor"/> found. <see cref="SourceFullname"/> is the post the images belong to: the
/// post itself, or for a crosspost its parent, so a caller that dedupes by it sees a crossposted photo once.
/// <see cref="SkipReason"/> (one of <see cref="SkipReasons"/>) is set exactly when <see cref="Images"/> is empty.
/// </summary>
public sealed record ExtractionResult(string SourceFullname, IReadOnlyList<PostImage> Images, string? SkipReason)
{
    public bool HasImages => Images.Count > 0;
}

/// <summary>Why a post yielded no images.</summary>
public static class SkipReasons
{
    public const string Removed = "removed";
    public const string Deleted = "deleted";
    public const string Nsfw = "nsfw";
    public const string SelfPost = "self post";
    public const string Video = "video";
    public const string Animated = "animated image";
    public const string NoImage = "no image";

    /// <summary>A crosspost whose <c>crosspost_parent_list</c> is missing; fetch the parent
    /// (<see cref="ExtractionResult.SourceFullname"/>) with <c>RedditApiClient.GetPostAsync</c> and extract from it.</summary>
    public const string CrosspostParentMissing = "crosspost parent not included";
}
