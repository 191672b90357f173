using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Storage;

namespace SkateBot.Features.Discord;

/// <summary>
/// Makes a bot message correctable: links it to its image FIRST (a reaction that arrives while the bot is still adding
/// its own must already count), then adds the reactions. Shared by replies, /classify answers and review posts, so the
/// <see cref="CorrectionHandler"/> treats them all alike. Reactions people added before the link existed (the message was
/// on Discord before the bot had its id) are handed to the handler once it is written. With storage full no reactions
/// are offered (votes could not be kept).
/// </summary>
public static class CorrectionOffer
{
    public static async Task OfferAsync(SkateDatabase db, DiscordRestClient rest, ReactionVocabulary vocabulary,
        string channelId, string messageId, ClassifiedImage classified, IReadOnlyList<string> classes, bool perClass,
        CorrectionHandler? corrections, CancellationToken ct)
    {
        if (!classified.Recorded) return; // storage is full: a vote could not be kept, so none is offered
        try
        {
            db.MessageLinks.Put(CorrectionHandler.Platform, channelId, messageId,
                [new MessageLinkItem(classified.Sha, classified.Result.Label, [.. classes], classified.Result.ModelVersion)]);
        }
        catch (StorageFullException)
        {
            return;
        }
        if (corrections is not null) await corrections.LinkedAsync(channelId, messageId, ct).ConfigureAwait(false);
        if (classes.Count > ReactionVocabulary.Numbers.Length) return; // too many classes to offer as reactions
        foreach (var emoji in vocabulary.Offered(classes, perClass))
            await rest.CreateReactionAsync(channelId, messageId, emoji, ct).ConfigureAwait(false);
    }
}
