using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Reddit;

namespace SkateBot.Features.RedditScanning;

/// <summary>
/// Polls the configured subreddits (one combined <c>/r/a+b+c/new</c> request per poll) every <c>Reddit:PollInterval</c>
/// and hands each new post, oldest first, to <see cref="RedditPostProcessor"/>, moving <see cref="ScanPosition"/> after
/// each. Transient failures (network, Reddit 5xx after the client's retries, Discord) are logged and the next poll tries
/// again from the same position; a subreddit Reddit refuses (private, quarantined, banned) is logged once and dropped;
/// bad credentials or settings stop the host with exit code <see cref="FatalExitCode"/>.
/// </summary>
public sealed partial class RedditScanner(
    RedditApiClient reddit, RedditPostProcessor processor, ReviewQueue.ReviewPublisher reviews, ScanPosition position, ClassificationPipeline pipeline,
    IOptions<RedditScanningOptions> options, IHostApplicationLifetime lifetime, ExitCode exitCode, TimeProvider time, ILogger<RedditScanner> logger)
    : BackgroundService
{
    public const int FatalExitCode = 3;

    private readonly List<string> _active = [.. options.Value.DistinctSubreddits()];
    private bool _waitingForModel;

    /// <summary>When the last poll went through (for /healthz); null before the first.</summary>
    public DateTimeOffset? LastPolled { get; private set; }

    /// <summary>The subreddits still polled (those Reddit refused are gone).</summary>
    public IReadOnlyList<string> ActiveSubreddits => [.. _active];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LogStarting(logger, string.Join('+', _active), options.Value.PollInterval, options.Value.BackfillLimit);
        try
        {
            using var timer = new PeriodicTimer(options.Value.PollInterval, time);
            do
            {
                await PollSafelyAsync(stoppingToken).ConfigureAwait(false);
                if (_active.Count == 0)
                {
                    LogNothingLeft(logger);
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is RedditAuthException or RedditConfigurationException)
        {
            LogFatalReddit(logger, ex.Message);
            StopHost();
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex);
            StopHost();
        }
    }

    /// <summary>One poll: new posts of every active subreddit, each processed once. Transient errors propagate (the
    /// background loop logs them); refused subreddits are dropped and the rest polled.</summary>
    public async Task<ScanReport> ScanOnceAsync(CancellationToken ct = default)
    {
        // Review and feed posts that Discord could not take before (an outage, a restart) go out first.
        await reviews.SendWaitingAsync(ct).ConfigureAwait(false);
        if (pipeline.Host.Current is null)
        {
            if (!_waitingForModel) LogNoModel(logger);
            _waitingForModel = true;
            return new ScanReport { WaitingForModel = true };
        }
        _waitingForModel = false;
        var report = new ScanReport();
        var fresh = _active.Where(s => position.Get(s) is null).ToList();
        var known = _active.Except(fresh).ToList();
        if (fresh.Count > 0) await PollAsync(fresh, backfill: true, report, ct).ConfigureAwait(false);
        if (known.Count > 0) await PollAsync(known, backfill: false, report, ct).ConfigureAwait(false);
        if (report.Total > 0) LogPolled(logger, report.ToString());
        LastPolled = time.GetUtcNow();
        return report;
    }

    private async Task PollAsync(List<string> group, bool backfill, ScanReport report, CancellationToken ct)
    {
        var settings = options.Value;
        while (group.Count > 0)
        {
            var anchor = backfill ? null : group.Select(s => position.Get(s)!).MinBy(f => f, Comparer<string>.Create(RedditApiClient.CompareFullnames));
            var limit = backfill ? Math.Max(1, settings.BackfillLimit) : settings.MaxPostsPerPoll;
            IReadOnlyList<Post> posts;
            try
            {
                posts = await reddit.GetNewSinceAsync(group, anchor, limit, ct).ConfigureAwait(false);
            }
            catch (RedditSubredditForbiddenException ex)
            {
                if (!Drop(ex.Subreddits, group)) throw;
                continue;
            }
            if (backfill && settings.BackfillLimit == 0)
            {
                // Start from now: remember the newest post without classifying anything older.
                if (posts.Count > 0) position.Advance(group, posts[0].Name);
                return;
            }
            if (!backfill && posts.Count >= limit) LogMaybeMissed(logger, limit, string.Join('+', group));
            foreach (var post in posts.Reverse())
            {
                ct.ThrowIfCancellationRequested();
                // With mixed cursors the anchor is the oldest one; a subreddit already past this post skips it.
                if (position.Get(post.Subreddit) is { } own && RedditApiClient.CompareFullnames(post.Name, own) <= 0) continue;
                report.Add(await processor.ProcessAsync(post, ct).ConfigureAwait(false));
                position.Advance(group, post.Name);
            }
            return;
        }
    }

    private bool Drop(IReadOnlyList<ForbiddenSubreddit> forbidden, List<string> group)
    {
        var dropped = false;
        foreach (var sub in forbidden)
        {
            if (group.RemoveAll(s => s.Equals(sub.Name, StringComparison.OrdinalIgnoreCase)) == 0) continue;
            _active.RemoveAll(s => s.Equals(sub.Name, StringComparison.OrdinalIgnoreCase));
            LogDropped(logger, sub.Name, sub.Reason);
            dropped = true;
        }
        return dropped;
    }

    private async Task PollSafelyAsync(CancellationToken ct)
    {
        try
        {
            await ScanOnceAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, ct))
        {
            LogTransient(logger, ex.GetType().Name, ex.Message);
        }
    }

    private static bool IsTransient(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException or RedditApiException or DiscordApiException or JsonException or TimeoutException
        || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    private void StopHost()
    {
        exitCode.Fail(FatalExitCode);
        lifetime.StopApplication();
    }
}
