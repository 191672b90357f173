using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.Downloads;
using SkateBot.Storage;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Discord;

/// <summary>
/// A photo in a watched channel (or a DM) gets a reply per image: class, confidence and model version in an embed,
/// referencing the original message, with the correction reactions underneath. Unreadable images get a short, polite
/// explanation; non-image attachments are ignored silently. At most <see cref="DiscordOptions.MaxPhotosInProgress"/> photos
/// are downloaded and classified at once: a message whose photos do not fit gets one polite "busy" note straight away, so
/// beyond the model's capacity the queue (and every photo's wait) stays bounded and no photo goes unanswered.
/// </summary>
public sealed partial class PhotoReplyHandler(
    SkateDatabase db, DiscordRestClient rest, ClassificationPipeline pipeline, ImageDownloader downloader,
    ReactionVocabulary vocabulary, IOptions<DiscordOptions> options, TimeProvider time, ILogger<PhotoReplyHandler> logger,
    PhotoRateLimit? rateLimit = null, CorrectionHandler? corrections = null)
{
    public const int MaxImagesPerMessage = 4;
    private int _inProgress;

    /// <summary>Photos being downloaded, classified or answered now.</summary>
    public int PhotosInProgress => Volatile.Read(ref _inProgress);

    /// <summary>The DM channels people have sent photos in, read again by <see cref="PhotoCatchUp"/> after a restart.</summary>
    public DirectChannels DirectChannels { get; } = new(db, time);

    public Task HandleAsync(Message message, CancellationToken ct = default) =>
        AnswerOnceAsync(message, catchUp: false, direct: message.GuildId is null, ct);

    /// <summary>A message read over REST (which gives no guild id) from a watched channel or, <paramref name="direct"/>, a
    /// DM channel, answered unless it was before. True when its photos were taken up now.</summary>
    internal Task<bool> HandleMissedAsync(Message message, bool direct, CancellationToken ct) => AnswerOnceAsync(message, catchUp: true, direct, ct);

    private async Task<bool> AnswerOnceAsync(Message message, bool catchUp, bool direct, CancellationToken ct)
    {
        if (message.Author.Bot == true || message.WebhookId is not null) return false;
        if (!direct && !options.Value.Channels.Contains(message.ChannelId)) return false;
        var images = DiscordImageSources.From(message);
        if (images.Count == 0) return false;
        // The gateway may deliver a message twice (resume replays), and a catch-up reads it again: one answer in this
        // process at a time, and one ever unless an earlier run took the message up and never finished.
        if (!_answering.TryAdd(message.Id, 0)) return false;
        try
        {
            if (!TakeUp(message.Id, catchUp)) return false;
            if (direct) DirectChannels.Seen(message.ChannelId);
            var picked = images.Take(MaxImagesPerMessage).ToList();
            var settings = options.Value;
            if (!TryAdmit(picked.Count, settings.MaxPhotosInProgress))
            {
                LogBusy(logger, message.Id, settings.MaxPhotosInProgress);
                await rest.CreateMessageAsync(message.ChannelId, new MessageCreate
                {
                    Content = ReplyFormatter.Busy, MessageReference = MessageReference.ReplyTo(message.Id, message.ChannelId),
                    Nonce = ReplyNonce(message.Id, "busy"),
                }, ct: ct).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await AnswerAsync(message, picked, settings, ct).ConfigureAwait(false);
                }
                finally
                {
                    Release(picked.Count);
                }
            }
            Mark(AnsweredKey(message.Id));
            return true;
        }
        finally
        {
            _answering.TryRemove(message.Id, out _);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _answering = new(StringComparer.Ordinal);

    private static string TakenUpKey(string messageId) => $"discord:photo:{messageId}";

    private static string AnsweredKey(string messageId) => $"discord:photo:{messageId}:answered";

    /// <summary>Marked by versions before answers were marked finished: such a message was answered.</summary>
    private static string EarlierVersionKey(string messageId) => $"discord:message:{messageId}";

    /// <summary>
    /// Whether to answer the message now: it was never taken up, or (read by a catch-up, so not by this run, which holds
    /// the messages it is answering) an earlier run took it up and stopped before it was answered: a crash, a shutdown
    /// that could not wait, Discord failing the reply. The repeated replies carry the nonces of the first, so one that
    /// Discord did create comes back instead of being posted twice. With storage full the marks cannot be read or written:
    /// answer (a replay might be answered twice).
    /// </summary>
    private bool TakeUp(string messageId, bool catchUp)
    {
        try
        {
            if (db.ProcessedEvents.TryMarkProcessed(TakenUpKey(messageId)))
                return !db.ProcessedEvents.Contains(EarlierVersionKey(messageId));
            return catchUp && !db.ProcessedEvents.Contains(AnsweredKey(messageId)) && !db.ProcessedEvents.Contains(EarlierVersionKey(messageId));
        }
        catch (StorageFullException)
        {
            return true;
        }
    }

    private void Mark(string key)
    {
        try
        {
            db.ProcessedEvents.TryMarkProcessed(key);
        }
        catch (StorageFullException)
        {
            // not kept: a later catch-up may answer the message again, with the same nonces (Discord returns those replies)
        }
    }

    /// <summary>The nonce of one reply to one message (<paramref name="what"/>: the image's index, "busy", …): the same in
    /// every run, so a reply repeated within Discord's nonce window returns the one already posted.</summary>
    internal static string ReplyNonce(string messageId, string what)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"reply:{messageId}:{what}"));
        return (BitConverter.ToUInt64(hash, 0) >> 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Takes one place under the same bound for a photo answered elsewhere (/classify); <see cref="Release"/> it
    /// when the answer is out. False: the bound is reached, decline the photo.</summary>
    internal bool TryAdmitOne() => TryAdmit(1, options.Value.MaxPhotosInProgress);

    internal void Release(int count) => Interlocked.Add(ref _inProgress, -count);

    /// <summary>Takes <paramref name="count"/> places among <paramref name="max"/> (0: unbounded), all or none.</summary>
    private bool TryAdmit(int count, int max)
    {
        if (max <= 0)
        {
            Interlocked.Add(ref _inProgress, count);
            return true;
        }
        for (var now = Volatile.Read(ref _inProgress); ; now = Volatile.Read(ref _inProgress))
        {
            // A message with more photos than the bound is still admitted when nothing else is in progress.
            if (now > 0 && now + count > max) return false;
            if (Interlocked.CompareExchange(ref _inProgress, now + count, now) == now) return true;
        }
    }

    private async Task AnswerAsync(Message message, List<(Uri Url, string Name)> picked, DiscordOptions settings, CancellationToken ct)
    {
        var limited = rateLimit is not null && !settings.IsOperator(message.Author.Id, message.Member?.Roles);
        for (var i = 0; i < picked.Count; i++)
        {
            switch (limited ? rateLimit!.Take(message.Author.Id, settings.PhotosPerUserPerMinute) : PhotoRateLimit.Verdict.Answer)
            {
                case PhotoRateLimit.Verdict.Warn:
                    LogRateLimited(logger, message.Author.Id, settings.PhotosPerUserPerMinute);
                    await rest.CreateMessageAsync(message.ChannelId, new MessageCreate
                    {
                        Content = ReplyFormatter.SlowDown(settings.PhotosPerUserPerMinute),
                        MessageReference = MessageReference.ReplyTo(message.Id, message.ChannelId),
                        Nonce = ReplyNonce(message.Id, "slow-down"),
                    }, ct: ct).ConfigureAwait(false);
                    return;
                case PhotoRateLimit.Verdict.Skip:
                    return;
            }
            await ReplyAsync(message, picked[i].Url, picked[i].Name, i, picked.Count, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Declined the photos of Discord message {Message}: {Max} photos are already in progress (Discord:MaxPhotosInProgress).")]
    private static partial void LogBusy(ILogger logger, string message, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord user {User} sent more than {PerMinute} photos in a minute: told once, the rest skipped.")]
    private static partial void LogRateLimited(ILogger logger, string user, int perMinute);

    private async Task ReplyAsync(Message message, Uri url, string name, int index, int count, CancellationToken ct)
    {
        var reference = MessageReference.ReplyTo(message.Id, message.ChannelId);
        ClassifiedImage classified;
        try
        {
            var bytes = await downloader.DownloadAsync(url, ct).ConfigureAwait(false);
            var origin = new ImageOrigin("discord", $"{message.ChannelId}/{message.Id}", url.GetLeftPart(UriPartial.Path), time.GetUtcNow());
            classified = await pipeline.ClassifyAsync(new ImageSubmission(bytes, name, origin), "discord:message", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DownloadException or ImageLoadException or ModelNotReadyException)
        {
            var reason = ex is ImageLoadException load ? load.Reason : ex.Message;
            LogUnreadable(logger, name, reason);
            await rest.CreateMessageAsync(message.ChannelId, new MessageCreate
            {
                Content = ReplyFormatter.Problem(name, reason), MessageReference = reference,
                Nonce = ReplyNonce(message.Id, "problem-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }, ct: ct).ConfigureAwait(false);
            return;
        }
        var classes = pipeline.Host.Classes;
        var reply = await rest.CreateMessageAsync(message.ChannelId, new MessageCreate
        {
            Content = classified.Recorded ? null : ReplyFormatter.NotRecorded,
            Embeds = [ReplyFormatter.Prediction(classified.Result, name, index, count, vocabulary, classes)],
            MessageReference = reference,
            Nonce = ReplyNonce(message.Id, index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        }, ct: ct).ConfigureAwait(false);
        await Offer(reply.ChannelId is { Length: > 0 } c ? c : message.ChannelId, reply.Id, classified, classes, perClass: classified.Result.IsUnsure, ct).ConfigureAwait(false);
    }

    public Task Offer(string channelId, string messageId, ClassifiedImage classified, IReadOnlyList<string> classes, bool perClass, CancellationToken ct) =>
        CorrectionOffer.OfferAsync(db, rest, vocabulary, channelId, messageId, classified, classes, perClass, corrections, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not classify a Discord image {Name}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string name, string reason);
}
