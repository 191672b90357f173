using Microsoft.Extensions.Logging;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;

namespace SkateBot.Features.Discord;

/// <summary>
/// Where a slash command's answer goes. Normally the deferred response (type 5), edited as the work goes on. When Discord
/// no longer knows the interaction (10062: it was not acknowledged within 3 s, as when it is replayed after a reconnect or
/// the bot was too busy to see it in time; the person was shown "The application did not respond"), or its token has
/// expired (15 minutes, a long /retrain), the answer is a message in the channel the command was used in that names the
/// person; later answers edit that message, so a /retrain's progress and outcome stay one message.
/// </summary>
public sealed partial class SlashCommandAnswer
{
    /// <summary>Discord's "Unknown interaction": the interaction was not acknowledged in time (or never existed).</summary>
    private const int UnknownInteraction = 10062;

    /// <summary>What editing the deferred response answers once its token has expired or its message is gone.</summary>
    private const int InvalidWebhookToken = 50027, UnknownWebhook = 10015, UnknownMessage = 10008;

    private readonly DiscordRestClient _rest;
    private readonly Interaction _interaction;
    private readonly string _command;
    private readonly ILogger _logger;
    private bool _inChannel;
    private string? _channelMessage;

    private SlashCommandAnswer(DiscordRestClient rest, Interaction interaction, string command, bool inChannel, ILogger logger)
    {
        _rest = rest;
        _interaction = interaction;
        _command = command;
        _inChannel = inChannel;
        _logger = logger;
    }

    /// <summary>
    /// Defers the answer. Null when Discord no longer knows the interaction and it names no channel and user to answer in
    /// (the command is then dropped, and logged); other Discord errors propagate.
    /// </summary>
    public static async Task<SlashCommandAnswer?> DeferAsync(DiscordRestClient rest, Interaction interaction, string command, ILogger logger, CancellationToken ct)
    {
        try
        {
            await rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, InteractionResponse.Deferred(), ct: ct).ConfigureAwait(false);
            return new SlashCommandAnswer(rest, interaction, command, inChannel: false, logger);
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownInteraction)
        {
            if (!CanAnswerInChannel(interaction))
            {
                LogLateUnanswerable(logger, command, interaction.Id);
                return null;
            }
            LogLate(logger, command, interaction.Id, interaction.ChannelId!);
            return new SlashCommandAnswer(rest, interaction, command, inChannel: true, logger);
        }
    }

    /// <summary>
    /// Shows <paramref name="content"/> and <paramref name="embed"/> (and <paramref name="files"/>) as the answer, in place
    /// of what it showed before. When the interaction's token no longer takes edits, the answer moves to the channel.
    /// Not for concurrent calls: callers send one answer at a time (a /retrain's progress through ThrottledProgress).
    /// </summary>
    public async Task<Message> SendAsync(string? content, Embed? embed, IReadOnlyList<FileAttachment>? files = null, CancellationToken ct = default)
    {
        if (!_inChannel)
        {
            try
            {
                return await _rest.EditOriginalInteractionResponseAsync(_interaction.ApplicationId, _interaction.Token,
                    new MessageEdit { Content = content, Embeds = embed is null ? null : [embed] }, files, ct).ConfigureAwait(false);
            }
            catch (DiscordApiException ex) when (ex.Code is InvalidWebhookToken or UnknownWebhook or UnknownMessage && CanAnswerInChannel(_interaction))
            {
                LogEditFailed(_logger, _command, ex.Message);
                _inChannel = true;
            }
        }
        var text = ReplyFormatter.Late(_command, _interaction.InvokingUser!.Id, content);
        var embeds = embed is null ? null : new[] { embed };
        if (_channelMessage is { } id)
        {
            return await _rest.EditMessageAsync(_interaction.ChannelId!, id, new MessageEdit { Content = text, Embeds = embeds ?? [] }, files, ct)
                .ConfigureAwait(false);
        }
        // The mention shows whom it answers; like every message of the bot it notifies nobody (NoMentions).
        var message = await _rest.CreateMessageAsync(_interaction.ChannelId!, new MessageCreate { Content = text, Embeds = embeds }, files, ct).ConfigureAwait(false);
        _channelMessage = message.Id;
        return message;
    }

    private static bool CanAnswerInChannel(Interaction i) => i.ChannelId is { Length: > 0 } && i.InvokingUser?.Id is { Length: > 0 };

    [LoggerMessage(Level = LogLevel.Information, Message = "/{Command} interaction {Interaction} came too late to answer as an interaction; answering in channel {Channel} instead.")]
    private static partial void LogLate(ILogger logger, string command, string interaction, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "/{Command} interaction {Interaction} came too late to answer and names no channel and user to answer in; it is dropped.")]
    private static partial void LogLateUnanswerable(ILogger logger, string command, string interaction);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not edit the /{Command} answer ({Reason}); answering in its channel instead.")]
    private static partial void LogEditFailed(ILogger logger, string command, string reason);
}
