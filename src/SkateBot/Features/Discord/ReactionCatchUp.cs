using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Storage;

namespace SkateBot.Features.Discord;

/// <summary>
/// Reactions made while the bot was not connected (a restart, a deploy, an outage longer than Discord keeps a session
/// resumable) are never delivered to its next gateway session. On each new session this reads, for the bot's messages
/// linked within <see cref="DiscordOptions.CatchUpReactionsWithin"/> (at most <see cref="DiscordOptions.CatchUpMaxMessages"/>,
/// newest first), the reactions Discord has on them now, and hands them to <see cref="CorrectionHandler.CatchUpAsync"/>,
/// which counts what changed. A message that is gone or no longer readable is skipped. One catch-up runs at a time.
/// </summary>
public sealed partial class ReactionCatchUp(
    SkateDatabase db, DiscordRestClient rest, CorrectionHandler corrections, ReactionVocabulary vocabulary, IOptions<DiscordOptions> options,
    ILogger<ReactionCatchUp> logger, TimeProvider? time = null) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>What one catch-up did.</summary>
    public sealed record Result(int Messages, int Skipped, int Changes);

    public async Task<Result> RunAsync(string? botUserId, CancellationToken ct = default)
    {
        var o = options.Value;
        if (o.CatchUpReactionsWithin <= TimeSpan.Zero || o.CatchUpMaxMessages == 0) return new Result(0, 0, 0);
        try
        {
            await _one.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new Result(0, 0, 0);
        }
        int read = 0, skipped = 0, changes = 0;
        var guilds = new Dictionary<string, string?>(StringComparer.Ordinal);
        var roles = new Dictionary<(string Guild, string User), IReadOnlyList<string>?>();
        try
        {
            // Links from before reactions were recorded on them cannot tell a new reaction from one counted long ago.
            var links = db.MessageLinks.Since(CorrectionHandler.Platform, _time.GetUtcNow() - o.CatchUpReactionsWithin, o.CatchUpMaxMessages)
                .Where(l => l.TracksReactions);
            foreach (var link in links)
            {
                if (ct.IsCancellationRequested) break;
                read++;
                try
                {
                    changes += await corrections.CatchUpAsync(link.ChannelId, link.MessageId, c => ReactionsAsync(link, botUserId, c), ct,
                        (user, c) => RolesAsync(link.ChannelId, user, guilds, roles, c)).ConfigureAwait(false);
                }
                catch (DiscordApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
                {
                    skipped++; // deleted, or the bot lost access to the channel: nothing there to count
                    LogSkipped(logger, link.MessageId, ex.Message);
                }
            }
        }
        catch (StorageFullException ex)
        {
            LogStorageFull(logger, ex.Message); // no vote can be stored now; the next session's catch-up tries again
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: what was counted stays counted; the next session's catch-up reads the rest.
        }
        finally
        {
            _one.Release();
        }
        if (read > 0) LogDone(logger, read, changes, skipped);
        return new Result(read, skipped, changes);
    }

    /// <summary>People's vote reactions on the message now: the bot's own and other bots' left out.</summary>
    private async Task<List<MessageLinkReaction>> ReactionsAsync(MessageLink link, string? botUserId, CancellationToken ct)
    {
        var message = await rest.GetMessageAsync(link.ChannelId, link.MessageId, ct).ConfigureAwait(false);
        var found = new List<MessageLinkReaction>();
        foreach (var reaction in message.Reactions ?? [])
        {
            var emoji = reaction.Emoji.ToReactionString();
            if (!vocabulary.CouldVote(emoji) || reaction.Count - (reaction.Me ? 1 : 0) - (reaction.MeBurst == true ? 1 : 0) <= 0) continue;
            foreach (var burst in reaction.CountDetails is { Burst: > 0 } ? new[] { false, true } : [false])
            {
                string? after = null;
                while (true)
                {
                    var page = await rest.GetReactionsAsync(link.ChannelId, link.MessageId, emoji, after, 100, burst, ct).ConfigureAwait(false);
                    found.AddRange(page.Where(u => u.Id != botUserId && u.Bot != true).Select(u => new MessageLinkReaction(u.Id, emoji)));
                    if (page.Count < 100) break;
                    after = page[^1].Id;
                }
            }
        }
        return found;
    }

    /// <summary>The role ids a user has now in the guild of the channel (looked up once per channel and user in a run);
    /// null in a direct message, or for someone who left the guild.</summary>
    private async Task<IReadOnlyList<string>?> RolesAsync(string channelId, string userId, Dictionary<string, string?> guilds,
        Dictionary<(string, string), IReadOnlyList<string>?> roles, CancellationToken ct)
    {
        if (!guilds.TryGetValue(channelId, out var guild))
            guilds[channelId] = guild = (await rest.GetChannelAsync(channelId, ct).ConfigureAwait(false)).GuildId;
        if (guild is null) return null;
        if (roles.TryGetValue((guild, userId), out var known)) return known;
        IReadOnlyList<string>? found;
        try
        {
            found = (await rest.GetGuildMemberAsync(guild, userId, ct).ConfigureAwait(false)).Roles;
        }
        catch (DiscordApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            found = null; // no longer a member: no role makes their vote an operator's
        }
        return roles[(guild, userId)] = found;
    }

    public void Dispose() => _one.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Reaction catch-up read {Messages} recent bot message(s): {Changes} vote(s) cast or withdrawn for reactions made while the bot was not connected, {Skipped} message(s) gone or unreadable.")]
    private static partial void LogDone(ILogger logger, int messages, int changes, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaction catch-up stopped: {Reason}")]
    private static partial void LogStorageFull(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reaction catch-up skipped message {Message}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string message, string reason);
}
