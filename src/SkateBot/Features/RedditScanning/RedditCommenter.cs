using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Features.Discord;
using SkateBot.Reddit;
using SkateBot.Storage;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.RedditScanning;

/// <summary>
/// Comments on Reddit only when <c>Reddit:CommentingEnabled</c> is true, only in subreddits listed in
/// <c>Reddit:CommentSubreddits</c> (whose rules allow bots), only for a confident prediction, and at most once per post:
/// the post is marked in storage BEFORE the comment is sent, so a crash or a failed request never leads to a second one.
/// </summary>
public sealed partial class RedditCommenter(
    RedditApiClient reddit, SkateDatabase db, IOptions<RedditScanningOptions> options, ILogger<RedditCommenter> logger)
{
    public static string EventKey(string fullname) => "reddit:comment:" + fullname;

    /// <returns>The new comment's fullname, or null when no comment was made.</returns>
    public async Task<string?> CommentOnceAsync(Post post, ClassificationResult result, CancellationToken ct)
    {
        if (!options.Value.MayCommentIn(post.Subreddit)) return null;
        if (!db.ProcessedEvents.TryMarkProcessed(EventKey(post.Name))) return null;
        try
        {
            var name = await reddit.SubmitCommentAsync(post.Name, Text(result), ct).ConfigureAwait(false);
            LogCommented(logger, post.Name, post.Subreddit);
            return name;
        }
        catch (RedditApiException ex)
        {
            LogCommentFailed(logger, post.Name, ex.Message);
            return null;
        }
    }

    public static string Text(ClassificationResult result) =>
        $"These look like **{ReactionVocabulary.Pretty(result.Label)}** to me ({result.Confidence:P0} sure).\n\n"
        + $"^(I am a bot that tells aggressive from inline skates; model {result.ModelVersion}.)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Commented on Reddit post {Post} in r/{Subreddit}.")]
    private static partial void LogCommented(ILogger logger, string post, string subreddit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commenting on Reddit post {Post} failed (not retried): {Reason}")]
    private static partial void LogCommentFailed(ILogger logger, string post, string reason);
}
