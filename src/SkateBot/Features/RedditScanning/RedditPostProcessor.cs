using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.Downloads;
using SkateBot.Features.ReviewQueue;
using SkateBot.Reddit;
using SkateBot.Storage;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.RedditScanning;

/// <summary>What happened to one listed post.</summary>
public enum PostOutcome
{
    /// <summary>Images were stored and classified (or recognised as already classified).</summary>
    Recorded,
    /// <summary>No still images (self post, video, removed, NSFW, …).</summary>
    NoImages,
    /// <summary>The post, or the original it crossposts, was handled before.</summary>
    AlreadySeen,
    /// <summary>It had images but none could be downloaded and read.</summary>
    Unreadable,
}

/// <summary>
/// One Reddit post: extract its images (following a crosspost to its parent), skip it when that source post was seen
/// (a crosspost and its parent are one post), download, store and classify each image not predicted before, record the
/// post with its permalink and image hashes, then send uncertain predictions to review (confident ones to the feed)
/// and, only where configured, comment once.
/// </summary>
public sealed partial class RedditPostProcessor(
    RedditApiClient reddit, SkateDatabase db, ClassificationPipeline pipeline, ImageDownloader downloader, ReviewPublisher reviews,
    RedditCommenter commenter, IOptions<RedditScanningOptions> options, TimeProvider time, ILogger<RedditPostProcessor> logger)
{
    public const string WebBase = "https://www.reddit.com";

    public static string SeenId(string fullname) => "reddit:" + fullname;

    public static bool IsUncertain(ClassificationResult result, RedditScanningOptions settings) =>
        result.IsUnsure || result.Confidence < settings.UncertainBelowConfidence || result.Margin < settings.UncertainBelowMargin;

    /// <summary>
    /// Whether a photo from <paramref name="subreddit"/> goes to review rather than to the feed: an uncertain answer, or,
    /// in a subreddit listed in <c>Reddit:NotInlineSubreddits</c>, any answer but "does not look like an inline skate"
    /// (there a confident skate class is the likely mistake, and the <c>other</c> label people give it what the model
    /// lacks). A model without an <c>other</c> class follows the usual rule there too: its reviewers could not say "not
    /// an inline skate".
    /// </summary>
    public static bool NeedsReview(ClassificationResult result, string? subreddit, RedditScanningOptions settings) =>
        settings.IsNotInline(subreddit) && result.Probabilities.ContainsKey(Answering.OtherClass)
            ? !result.LooksNotInline
            : IsUncertain(result, settings);


    /// <summary>What a review post from a not-inline subreddit says about why it is there (in its footer).</summary>
    public const string NotInlineHint = "from a subreddit mostly about quads, ice skates or skateboards (Reddit:NotInlineSubreddits)";

    public async Task<PostOutcome> ProcessAsync(Post post, CancellationToken ct)
    {
        var settings = options.Value;
        var extraction = PostImageExtractor.Extract(post, settings.IncludeNsfw);
        var source = post.CrosspostParentList is { Count: > 0 } parents ? parents[0] : post;
        if (extraction.SkipReason == SkipReasons.CrosspostParentMissing)
        {
            if (db.Posts.Exists(SeenId(extraction.SourceFullname))) return Seen(post, extraction.SourceFullname);
            var parent = await reddit.GetPostAsync(extraction.SourceFullname, ct).ConfigureAwait(false);
            if (parent is null)
            {
                LogSkipped(logger, post.Name, "crosspost parent not found");
                return PostOutcome.NoImages;
            }
            source = parent;
            extraction = PostImageExtractor.Extract(parent, settings.IncludeNsfw);
        }
        if (!extraction.HasImages)
        {
            LogSkipped(logger, post.Name, extraction.SkipReason ?? SkipReasons.NoImage);
            return PostOutcome.NoImages;
        }
        var seenId = SeenId(extraction.SourceFullname);
        if (db.Posts.Exists(seenId)) return Seen(post, extraction.SourceFullname);

        var permalink = WebBase + source.Permalink;
        var notInline = settings.IsNotInline(source.Subreddit);
        var review = new ReviewSource(source.Title, permalink,
            $"r/{source.Subreddit} · {extraction.SourceFullname}" + (notInline ? " · " + NotInlineHint : ""));
        var shas = new List<string>();
        var fresh = new List<ClassifiedImage>();
        var unqueued = new List<ClassifiedImage>();
        for (var i = 0; i < extraction.Images.Count; i++)
        {
            var image = extraction.Images[i];
            var name = image.MediaId ?? (Path.GetFileName(image.Url.AbsolutePath) is { Length: > 0 } file ? file : $"{extraction.SourceFullname}-{i + 1}");
            try
            {
                var bytes = await downloader.DownloadAsync(image.Url, ct).ConfigureAwait(false);
                var sha = ClassificationPipeline.Sha256(bytes);
                if (shas.Contains(sha)) continue;
                // Stored once by content hash: an image already predicted (a repost, a retry after a crash) is not classified again.
                if (db.Predictions.Latest(sha) is null)
                {
                    var origin = new ImageOrigin("reddit", extraction.SourceFullname, permalink, time.GetUtcNow());
                    var classified = await pipeline.ClassifyAsync(new ImageSubmission(bytes, name, origin), seenId, ct).ConfigureAwait(false);
                    // Queued at once: a crash or a Discord outage from here on delays the post, it does not lose it.
                    if (!reviews.Enqueue(classified, review, NeedsReview(classified.Result, source.Subreddit, settings))) unqueued.Add(classified);
                    fresh.Add(classified);
                }
                shas.Add(sha);
            }
            catch (Exception ex) when (ex is DownloadException or ImageLoadException)
            {
                LogImageFailed(logger, extraction.SourceFullname, i + 1, ex is ImageLoadException load ? load.Reason : ex.Message);
            }
        }
        if (shas.Count == 0) return PostOutcome.Unreadable;

        db.Posts.Put(new SeenPost { Id = seenId, Permalink = permalink, Subreddit = source.Subreddit, ImageShas = [.. shas] });
        LogRecorded(logger, extraction.SourceFullname, shas.Count, fresh.Count);
        await reviews.SendWaitingAsync(ct).ConfigureAwait(false);
        await ForwardAsync(unqueued, review, source.Subreddit, settings, ct).ConfigureAwait(false);
        if (fresh.FirstOrDefault(c => !IsUncertain(c.Result, settings)) is { } confident)
            await commenter.CommentOnceAsync(post, confident.Result, ct).ConfigureAwait(false);
        return PostOutcome.Recorded;
    }

    /// <summary>Posts directly what could not be queued (storage full: the post cannot wait for a later round).</summary>
    private async Task ForwardAsync(List<ClassifiedImage> unqueued, ReviewSource source, string? subreddit, RedditScanningOptions settings, CancellationToken ct)
    {
        foreach (var classified in unqueued)
        {
            var uncertain = NeedsReview(classified.Result, subreddit, settings);
            try
            {
                if (uncertain) await reviews.PostAsync(classified, source, ct).ConfigureAwait(false);
                else await reviews.PostToFeedAsync(classified, source, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DiscordApiException or HttpRequestException)
            {
                // The prediction is recorded either way; a Discord outage must not stall the scan.
                LogForwardFailed(logger, classified.Sha[..12], uncertain ? "review" : "feed", ex.Message);
            }
        }
    }

    private PostOutcome Seen(Post post, string source)
    {
        LogAlreadySeen(logger, post.Name, source);
        return PostOutcome.AlreadySeen;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reddit post {Post} skipped: {Reason}.")]
    private static partial void LogSkipped(ILogger logger, string post, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reddit post {Post} skipped: its source {Source} was already handled.")]
    private static partial void LogAlreadySeen(ILogger logger, string post, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reddit post {Post}, image {Index}: {Reason}")]
    private static partial void LogImageFailed(ILogger logger, string post, int index, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reddit post {Post}: {Images} image(s) recorded, {Classified} newly classified.")]
    private static partial void LogRecorded(ILogger logger, string post, int images, int classified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not post image {Image} to the {Kind} channel: {Reason}")]
    private static partial void LogForwardFailed(ILogger logger, string image, string kind, string reason);
}
