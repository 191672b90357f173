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
/// A reply exists on Discord (people can see it and react) a moment before the bot has its id back and has linked it
/// to its image (<see cref="CorrectionOffer"/>). A reaction that could be a vote and arrives on a message with no link is
/// therefore held for <see cref="HoldUnlinkedFor"/>; when the bot links that message (<see cref="LinkedAsync"/>) the held
/// reactions are handled in the order they came, and reactions on messages that are never linked (people's own
/// messages) expire. One gate orders held and new reactions, so a vote and its withdrawal are never swapped.
/// </summary>
public sealed partial class CorrectionHandler(
    SkateDatabase db, DiscordRestClient rest, ReactionVocabulary vocabulary, IOptions<DiscordOptions> options, ILogger<CorrectionHandler> logger,
    Observability.SkateBotMetrics? metrics = null, TimeProvider? time = null) : IDisposable
{
    public const string Platform = "discord";

    /// <summary>How long a reaction on a message with no link waits for the bot to link it (the reply's POST round trip
    /// and the link write take well under a second; a slow network a few).</summary>
    public static readonly TimeSpan HoldUnlinkedFor = TimeSpan.FromSeconds(30);

    /// <summary>At most this many reactions are held at once (the oldest go first): a busy server reacting to people's
    /// own messages must not grow memory.</summary>
    public const int MaxHeld = 256;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Held> _held = [];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private sealed record Held(DateTimeOffset At, MessageReactionEvent Reaction, bool Added);

    /// <summary>Reactions waiting for their message to be linked.</summary>
    public int HeldCount
    {
        get
        {
            lock (_held) return _held.Count;
        }
    }

    /// <returns>True when the reaction changed a label (false too when it is held for a message not linked yet).</returns>
    public async Task<bool> HandleAsync(MessageReactionEvent reaction, bool added, string? botUserId, CancellationToken ct = default)
    {
        if (reaction.UserId == botUserId || reaction.Member?.User?.Bot == true) return false;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await HandleLinkedAsync(reaction, added, replay: false, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Called once the bot has linked its message to an image: handles the reactions that arrived before, in
    /// order. A Discord error on a tally edit is logged (the vote is stored) and the rest go on.</summary>
    /// <returns>How many held reactions changed a label.</returns>
    public async Task<int> LinkedAsync(string channelId, string messageId, CancellationToken ct = default)
    {
        var changed = 0;
        // Taken under the gate: a reaction the pump is handling now is either held before this looks, or finds the link.
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            List<Held> mine;
            lock (_held)
            {
                Expire();
                bool OnThisMessage(Held h) => h.Reaction.ChannelId == channelId && h.Reaction.MessageId == messageId;
                mine = _held.FindAll(OnThisMessage);
                _held.RemoveAll(OnThisMessage);
            }
            if (mine.Count == 0) return 0;
            LogReplayed(logger, mine.Count, messageId);
            foreach (var h in mine)
                if (await HandleLinkedAsync(h.Reaction, h.Added, replay: true, ct).ConfigureAwait(false)) changed++;
        }
        finally
        {
            _gate.Release();
        }
        return changed;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Brings one linked message's votes up to date with the reactions Discord has on it now (<paramref name="readOnDiscord"/>
    /// reads them: people's reactions, the bot's own left out), for reactions added or removed while the bot was not
    /// connected: those events are never delivered to a new gateway session. Each difference from what the bot last saw
    /// on the message (<see cref="MessageLink.Reactions"/>) is handled as the event it stands for, removals first; then
    /// the tally is shown once. A person with two new vote reactions on the message is left alone (which came last is
    /// unknown). Reading and comparing happen under the gate live reactions take, so a live event is handled wholly
    /// before the read (and is in it) or after the comparison (and is applied on top), never in between, where a read
    /// older than the event would take it back.
    /// </summary>
    /// <returns>How many votes were cast or withdrawn.</returns>
    public async Task<int> CatchUpAsync(string channelId, string messageId,
        Func<CancellationToken, Task<List<MessageLinkReaction>>> readOnDiscord, CancellationToken ct = default,
        Func<string, CancellationToken, Task<IReadOnlyList<string>?>>? rolesOf = null)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (db.MessageLinks.Get(Platform, channelId, messageId) is not { Items.Length: > 0, TracksReactions: true } link) return 0;
            var onDiscord = await readOnDiscord(ct).ConfigureAwait(false);
            var item = link.Items[0];
            bool Votes(MessageLinkReaction r) => vocabulary.ClassFor(r.Emoji, item) is not null;
            var now = onDiscord.Where(Votes).Distinct().ToHashSet();
            var seen = link.Reactions.Where(Votes).ToHashSet();
            var removed = seen.Where(r => !now.Contains(r)).ToList();
            var added = now.Where(r => !seen.Contains(r)).GroupBy(r => r.UserId).ToList();
            foreach (var unclear in added.Where(g => g.Count() > 1))
                LogAmbiguous(logger, unclear.Key, messageId, string.Join(" ", unclear.Select(r => r.Emoji)));
            var changed = 0;
            var o = options.Value;
            foreach (var r in removed.Concat(added.Where(g => g.Count() == 1).Select(g => g.Single())))
            {
                // The reaction list names users without their roles; an added vote from someone an operator only by role
                // counts as an operator's only with the roles they have now.
                var roles = now.Contains(r) && rolesOf is not null && o.OperatorRoleIds.Length > 0 && !o.OperatorUserIds.Contains(r.UserId)
                    ? await rolesOf(r.UserId, ct).ConfigureAwait(false) : null;
                var reaction = new MessageReactionEvent
                {
                    UserId = r.UserId, ChannelId = channelId, MessageId = messageId, Emoji = Emoji.FromReactionString(r.Emoji),
                    Member = roles is null ? null : new GuildMember { Roles = roles },
                };
                if (await HandleLinkedAsync(reaction, added: now.Contains(r), replay: true, ct, tally: false).ConfigureAwait(false)) changed++;
            }
            if (changed > 0)
            {
                LogCaughtUp(logger, changed, messageId);
                await ShowTallyAsync(channelId, messageId, item.ImageSha, replay: true, ct).ConfigureAwait(false);
            }
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> HandleLinkedAsync(MessageReactionEvent reaction, bool added, bool replay, CancellationToken ct, bool tally = true)
    {
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
        var emoji = reaction.Emoji.ToReactionString();
        if (link is null)
        {
            if (!replay && vocabulary.CouldVote(emoji)) Hold(reaction, added);
            return false;
        }
        if (link.Items.Length == 0) return false;
        var item = link.Items[0];
        var className = vocabulary.ClassFor(emoji, item);
        if (className is null) return false;
        var operatorVote = options.Value.IsOperator(reaction.UserId, reaction.Member?.Roles);
        try
        {
            var withdrew = false;
            if (added)
                db.Labels.Vote(item.ImageSha, className, reaction.UserId, operatorVote, $"discord:{reaction.ChannelId}/{reaction.MessageId}");
            else
                withdrew = db.Labels.Withdraw(item.ImageSha, reaction.UserId, className);
            // After the vote: if this write is lost, a catch-up casts the (idempotent) vote again rather than missing it.
            db.MessageLinks.SetReaction(Platform, reaction.ChannelId, reaction.MessageId, reaction.UserId, emoji, added);
            if (!added && !withdrew) return false;
        }
        catch (StorageFullException ex)
        {
            LogNotRecorded(logger, added ? "vote" : "withdrawal", item.ImageSha[..12], ex.Message);
            metrics?.LabelVote("not_recorded");
            return false;
        }
        LogLabel(logger, added ? "vote" : "withdrawal", className, item.ImageSha[..12]);
        metrics?.LabelVote(added ? "vote" : "withdrawal");
        if (tally) await ShowTallyAsync(reaction.ChannelId, reaction.MessageId, item.ImageSha, replay, ct).ConfigureAwait(false);
        return true;
    }

    private async Task ShowTallyAsync(string channelId, string messageId, string imageSha, bool replay, CancellationToken ct)
    {
        try
        {
            await rest.EditMessageAsync(channelId, messageId, new MessageEdit { Content = Tally(imageSha) }, ct: ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (replay && ex is DiscordApiException or HttpRequestException)
        {
            // A replay runs inside the reply's offer (or a catch-up): its tally failing must not stop the rest.
            LogTallyFailed(logger, messageId, ex.Message);
        }
    }

    private void Hold(MessageReactionEvent reaction, bool added)
    {
        lock (_held)
        {
            Expire();
            if (_held.Count >= MaxHeld) _held.RemoveAt(0);
            _held.Add(new Held(_time.GetUtcNow(), reaction, added));
        }
    }

    private void Expire()
    {
        var oldest = _time.GetUtcNow() - HoldUnlinkedFor;
        _held.RemoveAll(h => h.At < oldest);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} Discord reaction(s) on message {Message} came before the bot linked it; handled now.")]
    private static partial void LogReplayed(ILogger logger, int count, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} Discord reaction(s) on message {Message} were made while the bot was not connected; handled now.")]
    private static partial void LogCaughtUp(ILogger logger, int count, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord user {User} added {Emojis} on message {Message} while the bot was not connected; which came last is unknown, so neither counts until they change one.")]
    private static partial void LogAmbiguous(ILogger logger, string user, string message, string emojis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord tally on message {Message} not shown: {Reason}")]
    private static partial void LogTallyFailed(ILogger logger, string message, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord {Kind} for {Class} on image {Image}.")]
    private static partial void LogLabel(ILogger logger, string kind, string @class, string image);
}
