using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;

namespace SkateBot.Features.Discord;

/// <summary>
/// Photos posted while the bot was not connected (a restart, a deploy, an outage longer than Discord keeps a session
/// resumable) are never delivered to its next gateway session, so they went unanswered. On each new session this reads the
/// newest <see cref="MessagesPerChannel"/> messages of every watched channel and answers, oldest first, the photos posted
/// within <see cref="DiscordOptions.AnswerMissedPhotosWithin"/> that were not answered before (the same once-per-message
/// mark as live messages, so nothing is answered twice). The DM channels people sent photos in before (at most
/// <see cref="DirectChannelsRead"/>, with a photo within <see cref="DirectChannelsWithin"/>) are read too; a DM channel
/// the bot never saw cannot be, as Discord lists no DM channels. A channel the bot cannot read is skipped. One catch-up
/// runs at a time.
/// </summary>
public sealed partial class PhotoCatchUp(
    DiscordRestClient rest, PhotoReplyHandler photos, IOptions<DiscordOptions> options, ILogger<PhotoCatchUp> logger, TimeProvider? time = null)
    : IDisposable
{
    /// <summary>Messages read per watched channel: one request.</summary>
    public const int MessagesPerChannel = 100;

    /// <summary>DM channels read per catch-up, the most recently active first: one request each.</summary>
    public const int DirectChannelsRead = 20;

    /// <summary>A DM channel with no photo for this long is no longer read.</summary>
    public static readonly TimeSpan DirectChannelsWithin = TimeSpan.FromDays(30);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Reads and answers until done or <paramref name="ct"/> (the host stopping) fires; a photo already being
    /// answered then finishes on <paramref name="answering"/> (the bot's in-flight token, as for live photos), so a
    /// shutdown does not abandon it half-way. Only messages sent before <paramref name="sessionStarted"/> (when READY
    /// came; default now) are taken: later ones are the gateway's, answered as they arrive.</summary>
    /// <returns>How many messages with photos were answered.</returns>
    public async Task<int> RunAsync(CancellationToken ct = default, CancellationToken? answering = null, DateTimeOffset? sessionStarted = null)
    {
        var o = options.Value;
        if (o.AnswerMissedPhotosWithin <= TimeSpan.Zero) return 0;
        var watched = o.Channels.Distinct(StringComparer.Ordinal).ToList();
        var channels = watched.Select(c => (Id: c, Direct: false))
            .Concat(photos.DirectChannels.Recent(DirectChannelsWithin, DirectChannelsRead).Except(watched).Select(c => (Id: c, Direct: true)))
            .ToList();
        if (channels.Count == 0) return 0;
        try
        {
            await _one.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        var answered = 0;
        try
        {
            var until = sessionStarted ?? _time.GetUtcNow();
            var since = until - o.AnswerMissedPhotosWithin;
            foreach (var (channel, direct) in channels)
            {
                IReadOnlyList<Message> recent;
                try
                {
                    recent = await rest.GetChannelMessagesAsync(channel, MessagesPerChannel, ct: ct).ConfigureAwait(false);
                }
                catch (DiscordApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
                {
                    LogUnreadable(logger, channel, ex.Message);
                    continue;
                }
                var missed = recent.Where(m => m.Timestamp >= since && m.Timestamp < until)
                    .OrderBy(m => m.Timestamp).ThenBy(m => m.Id.Length).ThenBy(m => m.Id, StringComparer.Ordinal);
                foreach (var message in missed)
                {
                    ct.ThrowIfCancellationRequested();
                    var inChannel = message.ChannelId.Length > 0 ? message : message with { ChannelId = channel };
                    if (await photos.HandleMissedAsync(inChannel, direct, answering ?? ct).ConfigureAwait(false)) answered++;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the next session's catch-up answers the rest.
        }
        finally
        {
            _one.Release();
        }
        if (answered > 0) LogAnswered(logger, answered);
        return answered;
    }

    public void Dispose() => _one.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered {Count} message(s) with photos posted while the bot was not connected.")]
    private static partial void LogAnswered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read channel {Channel} for photos posted while the bot was not connected: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string channel, string reason);
}
