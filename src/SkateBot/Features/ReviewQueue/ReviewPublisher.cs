using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.Discord;
using SkateBot.Storage;

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
    CorrectionHandler? corrections = null)
{
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

    private async Task<string?> SendAsync(string channelId, ClassifiedImage classified, ReviewSource source, bool uncertain, CancellationToken ct)
    {
        var classes = ClassesOf(classified);
        var bytes = db.Images.ReadBytes(classified.Sha);
        var files = bytes is null ? null : new[] { new FileAttachment(ReviewMessage.ImageFileName, bytes, "image/jpeg") };
        var message = await rest!.CreateMessageAsync(channelId, ReviewMessage.Create(classified.Result, classes, source, uncertain, bytes is not null), files, ct)
            .ConfigureAwait(false);
        var messageChannel = message.ChannelId is { Length: > 0 } c ? c : channelId;
        await CorrectionOffer.OfferAsync(db, rest, vocabulary, messageChannel, message.Id, classified, classes, perClass: true, corrections, ct).ConfigureAwait(false);
        LogPosted(logger, uncertain ? "review" : "feed", classified.Sha[..12], messageChannel);
        return message.Id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted image {Image} to the {Kind} channel {Channel}.")]
    private static partial void LogPosted(ILogger logger, string kind, string image, string channel);
}
