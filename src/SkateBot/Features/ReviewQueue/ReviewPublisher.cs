using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.Discord;
using SkateBot.Storage;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.ReviewQueue;

/// <summary>
/// The review queue: posts an image whose prediction is uncertain to <c>Discord:ReviewChannelId</c> (and, optionally, a
/// confident one to <c>Discord:FeedChannelId</c>) with one numbered reaction per class. The message is linked to the
/// image BEFORE the reactions go on, so the first answers already count: the Discord bot's correction handler turns
/// reactions on any linked message into labels, exactly like corrections on a reply.
/// Without a Discord REST client (no <c>Discord:Token</c>) or without the channel id it posts nothing.
/// </summary>
public sealed partial class ReviewPublisher(
    SkateDatabase db, DiscordRestClient? rest, ReactionVocabulary vocabulary, IOptions<DiscordOptions> options, ILogger<ReviewPublisher> logger,
    CorrectionHandler? corrections = null, TimeProvider? time = null)
{
    /// <summary>A post still waiting this long after it was queued is dropped, with a warning.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public bool ReviewsEnabled => rest is not null && options.Value.ReviewChannelId.Length > 0;

    public bool FeedEnabled => rest is not null && options.Value.FeedChannelId.Length > 0;

    /// <summary>Posts an uncertain prediction for review. Returns the Discord message id, or null when reviews are off.</summary>
    /// <exception cref="DiscordApiException">Discord refused the message or a reaction.</exception>
    public Task<string?> PostAsync(ClassifiedImage classified, ReviewSource source, CancellationToken ct = default) =>
        ReviewsEnabled ? SendAsync(options.Value.ReviewChannelId, classified, source, uncertain: true, ct) : Task.FromResult<string?>(null);

    /// <summary>Posts a confident prediction to the feed channel. Returns the message id, or null when the feed is off.</summary>
    public Task<string?> PostToFeedAsync(ClassifiedImage classified, ReviewSource source, CancellationToken ct = default) =>
        FeedEnabled ? SendAsync(options.Value.FeedChannelId, classified, source, uncertain: false, ct) : Task.FromResult<string?>(null);

    /// <summary>The classes in reaction order: the prediction's classes sorted ordinally (the model's class order).</summary>
    public static string[] ClassesOf(ClassifiedImage classified) =>
        [.. classified.Result.Probabilities.Keys.OrderBy(c => c, StringComparer.Ordinal)];

    /// <summary>
    /// Queues the image for the review channel (<paramref name="uncertain"/>) or the feed channel, to be sent by
    /// <see cref="SendWaitingAsync"/>: unlike <see cref="PostAsync"/>, a post that Discord cannot take now (an outage, a
    /// restart in between) is sent later. True when it is queued (now or before); false when that channel is off or the
    /// queue cannot be written (storage full; the caller may post directly).
    /// </summary>
    public bool Enqueue(ClassifiedImage classified, ReviewSource source, bool uncertain)
    {
        if (!(uncertain ? ReviewsEnabled : FeedEnabled)) return false;
        var kind = uncertain ? ReviewKind : FeedKind;
        var result = classified.Result;
        try
        {
            db.Outbox.Add(new OutgoingPost
            {
                Id = $"{kind}:{classified.Sha}", Kind = kind, ChannelId = uncertain ? options.Value.ReviewChannelId : options.Value.FeedChannelId,
                ImageSha = classified.Sha, Label = result.Label, BestClass = result.BestClass, Confidence = result.Confidence,
                Probabilities = new Dictionary<string, double>(result.Probabilities), ModelVersion = result.ModelVersion,
                UnsureReason = result.UnsureReason, Title = source.Title, Permalink = source.Permalink, Where = source.Where,
                Nonce = DiscordRestClient.NewNonce(),
            });
            return true;
        }
        catch (StorageFullException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends the queued posts, oldest first: each is created on Discord (with the nonce it was queued with, so a repeat
    /// after a failure that came after Discord had created it returns that message), linked to its image, given its
    /// reactions, and only then removed. The first failure ends the round (Discord is likely down; the next round, after
    /// the next Reddit poll, tries again), except a 400 (Discord will never take that message), which drops the post.
    /// A post queued more than <see cref="GiveUpAfter"/> ago is dropped. Never throws but for cancellation.
    /// </summary>
    /// <returns>How many posts were sent.</returns>
    public async Task<int> SendWaitingAsync(CancellationToken ct = default)
    {
        if (rest is null) return 0;
        await _sending.WaitAsync(ct).ConfigureAwait(false);
        var sent = 0;
        try
        {
            while (true)
            {
                IReadOnlyList<OutgoingPost> batch;
                try
                {
                    batch = db.Outbox.Oldest(20);
                }
                catch (StorageFullException)
                {
                    return sent;
                }
                if (batch.Count == 0) return sent;
                foreach (var post in batch)
                {
                    ct.ThrowIfCancellationRequested();
                    if (_time.GetUtcNow() - post.At > GiveUpAfter)
                    {
                        LogGaveUp(logger, post.Kind, post.ImageSha[..12], post.At, post.Attempts, post.LastError ?? "never attempted");
                        db.Outbox.Remove(post.Id);
                        continue;
                    }
                    try
                    {
                        await SendQueuedAsync(post, ct).ConfigureAwait(false);
                        sent++;
                    }
                    catch (DiscordApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.BadRequest)
                    {
                        LogRefused(logger, post.Kind, post.ImageSha[..12], ex.Message);
                        db.Outbox.Remove(post.Id);
                    }
                    catch (Exception ex) when (ex is DiscordApiException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                    {
                        LogWillRetry(logger, post.ImageSha[..12], post.Kind, ex.Message);
                        db.Outbox.Failed(post.Id, ex.Message);
                        return sent;
                    }
                }
            }
        }
        catch (StorageFullException ex)
        {
            LogQueueUnwritable(logger, ex.Message); // a post may go out twice once there is room: its removal was not written
            return sent;
        }
        finally
        {
            _sending.Release();
        }
    }

    private const string ReviewKind = "review", FeedKind = "feed";

    private async Task SendQueuedAsync(OutgoingPost post, CancellationToken ct)
    {
        var result = new ClassificationResult(post.Label, post.Confidence, post.Probabilities, post.ModelVersion)
        {
            BestClass = post.BestClass, UnsureReason = post.UnsureReason,
        };
        var classified = new ClassifiedImage(post.ImageSha, result, post.Title);
        var channel = post.ChannelId;
        var messageId = post.PostedMessageId;
        var source = new ReviewSource(post.Title, post.Permalink, post.Where);
        if (messageId is null && post.Attempts > 0)
        {
            // An earlier attempt may have been created by Discord with its answer lost. The nonce finds that message only
            // for a few minutes; after a longer outage, look for it in the channel.
            var expected = ReviewMessage.Create(result, ClassesOf(classified), source, post.Kind == ReviewKind, withImage: false);
            messageId = await FindEarlierCopyAsync(post, expected, ct).ConfigureAwait(false);
            if (messageId is not null) db.Outbox.Posted(post.Id, messageId);
        }
        if (messageId is null)
        {
            var message = await CreateAsync(channel, classified, source, post.Kind == ReviewKind, post.Nonce, ct).ConfigureAwait(false);
            (channel, messageId) = (message.ChannelId is { Length: > 0 } c ? c : channel, message.Id);
            db.Outbox.Posted(post.Id, messageId);
        }
        await CorrectionOffer.OfferAsync(db, rest!, vocabulary, channel, messageId, classified, ClassesOf(classified), perClass: true, corrections, ct)
            .ConfigureAwait(false);
        db.Outbox.Remove(post.Id);
        LogPosted(logger, post.Kind, post.ImageSha[..12], channel);
    }

    /// <summary>How far back a message may be dated and still be an earlier copy of a post (clocks differ).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private string? _botUserId;

    /// <summary>The id of the bot's own message in the post's channel that has exactly the post's text and embed and is no
    /// older than the post; null when there is none among the newest 100, or when the bot may not read the channel's
    /// history (403, or 404 for a channel it cannot see), in which case only the nonce guards against a copy and the post
    /// itself tells whether the channel is there.</summary>
    private async Task<string?> FindEarlierCopyAsync(OutgoingPost post, MessageCreate expected, CancellationToken ct)
    {
        IReadOnlyList<Message> recent;
        try
        {
            _botUserId ??= (await rest!.GetCurrentUserAsync(ct).ConfigureAwait(false)).Id;
            recent = await rest!.GetChannelMessagesAsync(post.ChannelId, 100, ct: ct).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            LogCannotReadHistory(logger, post.ChannelId, ex.Message);
            return null;
        }
        var embed = expected.Embeds![0];
        return recent.FirstOrDefault(m => m.Author.Id == _botUserId
            && (m.Timestamp is not { } at || at >= post.At - ClockSkew)
            && m.Content == (expected.Content ?? "")
            && m.Embeds is [var e] && e.Title == embed.Title && e.Url == embed.Url && e.Description == embed.Description)?.Id;
    }

    private async Task<string?> SendAsync(string channelId, ClassifiedImage classified, ReviewSource source, bool uncertain, CancellationToken ct)
    {
        var message = await CreateAsync(channelId, classified, source, uncertain, nonce: null, ct).ConfigureAwait(false);
        var messageChannel = message.ChannelId is { Length: > 0 } c ? c : channelId;
        await CorrectionOffer.OfferAsync(db, rest!, vocabulary, messageChannel, message.Id, classified, ClassesOf(classified), perClass: true, corrections, ct)
            .ConfigureAwait(false);
        LogPosted(logger, uncertain ? ReviewKind : FeedKind, classified.Sha[..12], messageChannel);
        return message.Id;
    }

    private Task<Message> CreateAsync(string channelId, ClassifiedImage classified, ReviewSource source, bool uncertain, string? nonce, CancellationToken ct)
    {
        var bytes = db.Images.ReadBytes(classified.Sha);
        var files = bytes is null ? null : new[] { new FileAttachment(ReviewMessage.ImageFileName, bytes, "image/jpeg") };
        var message = ReviewMessage.Create(classified.Result, ClassesOf(classified), source, uncertain, bytes is not null) with { Nonce = nonce };
        return rest!.CreateMessageAsync(channelId, message, files, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not post image {Image} to the {Kind} channel now; it stays queued and is tried again after the next Reddit poll: {Reason}")]
    private static partial void LogWillRetry(ILogger logger, string image, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the history of channel {Channel} ({Reason}), so a review post whose earlier attempt Discord may have created is posted again; give the bot Read Message History there.")]
    private static partial void LogCannotReadHistory(ILogger logger, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The review queue cannot be written, sending stops for now: {Reason}")]
    private static partial void LogQueueUnwritable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord refused the {Kind} post of image {Image} ({Reason}); dropped from the queue.")]
    private static partial void LogRefused(ILogger logger, string kind, string image, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up the {Kind} post of image {Image}, queued {At:u}, after {Attempts} failed attempt(s): {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string kind, string image, DateTimeOffset at, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted image {Image} to the {Kind} channel {Channel}.")]
    private static partial void LogPosted(ILogger logger, string kind, string image, string channel);
}
