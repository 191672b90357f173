using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Storage;

namespace SkateBot.Features.Discord;

/// <summary>
/// Reactions are corrections: a person's reaction on a bot reply (or a review post) records their vote for that image;
/// removing the reaction withdraws it. One current vote per person and image (storage enforces it, and a repeated
/// event is a no-op). The bot's own reactions and other bots' are ignored. The message then shows the tally.
/// </summary>
public sealed partial class CorrectionHandler(
    SkateDatabase db, DiscordRestClient rest, ReactionVocabulary vocabulary, IOptions<DiscordOptions> options, ILogger<CorrectionHandler> logger,
    Observability.SkateBotMetrics? metrics = null)
{
    public const string Platform = "discord";

    /// <returns>True when the reaction changed a label.</returns>
    public async Task<bool> HandleAsync(MessageReactionEvent reaction, bool added, string? botUserId, CancellationToken ct = default)
    {
        if (reaction.UserId == botUserId || reaction.Member?.User?.Bot == true) return false;
        MessageLink? link;
        try
        {
            link = db.MessageLinks.Get(Platform, reaction.ChannelId, reaction.MessageId);
        }
        catch (StorageFullException ex)
        {
            LogNotRecorded(logger, added ? "vote" : "withdrawal", $"of message {reaction.MessageId}", ex.Message);
            metrics?.LabelVote("not_recorded");
            return false;
        }
        if (link is null || link.Items.Length == 0) return false;
        var item = link.Items[0];
        var className = vocabulary.ClassFor(reaction.Emoji.ToReactionString(), item);
        if (className is null) return false;
        var operatorVote = options.Value.IsOperator(reaction.UserId, reaction.Member?.Roles);
        try
        {
            if (added)
                db.Labels.Vote(item.ImageSha, className, reaction.UserId, operatorVote, $"discord:{reaction.ChannelId}/{reaction.MessageId}");
            else if (!db.Labels.Withdraw(item.ImageSha, reaction.UserId, className))
                return false;
        }
        catch (StorageFullException ex)
        {
            LogNotRecorded(logger, added ? "vote" : "withdrawal", item.ImageSha[..12], ex.Message);
            metrics?.LabelVote("not_recorded");
            return false;
        }
        LogLabel(logger, added ? "vote" : "withdrawal", className, item.ImageSha[..12]);
        metrics?.LabelVote(added ? "vote" : "withdrawal");
        await rest.EditMessageAsync(reaction.ChannelId, reaction.MessageId, new MessageEdit { Content = Tally(item.ImageSha) }, ct: ct)
            .ConfigureAwait(false);
        return true;
    }

    /// <summary>"🗳️ 2 people say inline skates · 1 person says aggressive skates" (current votes only).</summary>
    public string Tally(string imageSha)
    {
        var current = db.Labels.VotesFor(imageSha).Where(v => !v.Withdrawn).GroupBy(v => v.ClassName)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (current.Count == 0) return "";
        return "🗳️ " + string.Join(" · ", current.Select(g =>
            $"{g.Count()} {(g.Count() == 1 ? "person says" : "people say")} {ReactionVocabulary.Pretty(g.Key)}"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord {Kind} on image {Image} not recorded: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string kind, string image, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord {Kind} for {Class} on image {Image}.")]
    private static partial void LogLabel(ILogger logger, string kind, string @class, string image);
}
