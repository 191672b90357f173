using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.Downloads;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Discord;

/// <summary>
/// /classify, /stats and /retrain. Every command answers with a deferred response first (Discord wants an answer within
/// 3 s) and edits it when the work is done; /retrain refuses non-operators with an ephemeral message.
/// </summary>
public sealed partial class InteractionHandler(
    SkateDatabase db, DiscordRestClient rest, ClassificationPipeline pipeline, ImageDownloader downloader, PhotoReplyHandler replies,
    RetrainingService retraining, ReactionVocabulary vocabulary, IOptions<DiscordOptions> options, IOptions<RetrainingOptions> retrainingOptions,
    TimeProvider time, ILogger<InteractionHandler> logger)
{
    public async Task HandleAsync(Interaction interaction, CancellationToken ct = default)
    {
        if (interaction.Type != InteractionType.ApplicationCommand || interaction.Data?.Name is not { } name) return;
        switch (name)
        {
            case SlashCommands.Classify: await ClassifyAsync(interaction, ct).ConfigureAwait(false); break;
            case SlashCommands.Stats: await StatsAsync(interaction, ct).ConfigureAwait(false); break;
            case SlashCommands.Retrain: await RetrainAsync(interaction, ct).ConfigureAwait(false); break;
        }
    }

    private async Task ClassifyAsync(Interaction i, CancellationToken ct)
    {
        var attachment = i.Data?.GetAttachmentOption("image");
        if (attachment is null || !Uri.TryCreate(attachment.Url, UriKind.Absolute, out var url))
        {
            await rest.CreateInteractionResponseAsync(i.Id, i.Token, InteractionResponse.Message("Attach a photo to `/classify`.", ephemeral: true), ct: ct).ConfigureAwait(false);
            return;
        }
        // The same bound as photos posted in channels (Discord:MaxPhotosInProgress): beyond it, an immediate answer.
        if (!replies.TryAdmitOne())
        {
            LogBusy(logger, i.Id);
            await rest.CreateInteractionResponseAsync(i.Id, i.Token, InteractionResponse.Message(ReplyFormatter.Busy, ephemeral: true), ct: ct).ConfigureAwait(false);
            return;
        }
        try
        {
            var answer = await DeferOrLateAsync(i, ct).ConfigureAwait(false);
            if (answer is not null) await AnswerClassifyAsync(i, attachment, url, answer, ct).ConfigureAwait(false);
        }
        finally
        {
            replies.Release(1);
        }
    }

    /// <summary>
    /// Defers the answer and returns how to give it: by editing the deferred response or, when Discord no longer knows the
    /// interaction (10062: it was not acknowledged within 3 s, as when it is replayed after a reconnect or the bot was too
    /// busy to see it in time; the person was shown "The application did not respond"), by a message in the channel it
    /// was invoked in that names them. Null when neither is possible.
    /// </summary>
    private async Task<Func<string?, Embed?, Task<Message>>?> DeferOrLateAsync(Interaction i, CancellationToken ct)
    {
        try
        {
            await rest.CreateInteractionResponseAsync(i.Id, i.Token, InteractionResponse.Deferred(), ct: ct).ConfigureAwait(false);
            return (content, embed) => rest.EditOriginalInteractionResponseAsync(i.ApplicationId, i.Token,
                new MessageEdit { Content = content, Embeds = embed is null ? null : [embed] }, ct: ct);
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownInteraction)
        {
            if (i.ChannelId is not { } channel || i.InvokingUser?.Id is not { } user)
            {
                LogLateUnanswerable(logger, i.Id);
                return null;
            }
            LogLate(logger, i.Id, channel);
            return (content, embed) => rest.CreateMessageAsync(channel, new MessageCreate
            {
                Content = ReplyFormatter.LateClassify(user, content),
                Embeds = embed is null ? null : [embed],
            }, ct: ct); // the mention shows whom it answers; like every message of the bot it notifies nobody (NoMentions)
        }
    }

    /// <summary>Discord's "Unknown interaction": the interaction was not acknowledged in time (or never existed).</summary>
    private const int UnknownInteraction = 10062;

    [LoggerMessage(Level = LogLevel.Information, Message = "/classify interaction {Interaction} came too late to answer as an interaction; answering in channel {Channel} instead.")]
    private static partial void LogLate(ILogger logger, string interaction, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "/classify interaction {Interaction} came too late to answer and names no channel and user to answer in; it is dropped.")]
    private static partial void LogLateUnanswerable(ILogger logger, string interaction);

    [LoggerMessage(Level = LogLevel.Information, Message = "Declined /classify interaction {Interaction}: Discord:MaxPhotosInProgress photos are already in progress.")]
    private static partial void LogBusy(ILogger logger, string interaction);

    private async Task AnswerClassifyAsync(Interaction i, Attachment attachment, Uri url, Func<string?, Embed?, Task<Message>> answer, CancellationToken ct)
    {
        try
        {
            var bytes = await downloader.DownloadAsync(url, ct).ConfigureAwait(false);
            var origin = new ImageOrigin("discord", $"{i.ChannelId}/interaction/{i.Id}", url.GetLeftPart(UriPartial.Path), time.GetUtcNow());
            var classified = await pipeline.ClassifyAsync(new ImageSubmission(bytes, attachment.Filename, origin), "discord:/classify", ct).ConfigureAwait(false);
            var classes = pipeline.Host.Classes;
            var message = await answer(null, ReplyFormatter.Prediction(classified.Result, attachment.Filename, 0, 1, vocabulary, classes)).ConfigureAwait(false);
            await replies.Offer(message.ChannelId is { Length: > 0 } c ? c : i.ChannelId ?? "", message.Id, classified, classes, perClass: classified.Result.IsUnsure, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DownloadException or ImageLoadException or ModelNotReadyException)
        {
            var reason = ex is ImageLoadException load ? load.Reason : ex.Message;
            await answer(ReplyFormatter.Problem(attachment.Filename, reason), null).ConfigureAwait(false);
        }
    }

    private async Task StatsAsync(Interaction i, CancellationToken ct)
    {
        await rest.CreateInteractionResponseAsync(i.Id, i.Token, InteractionResponse.Deferred(), ct: ct).ConfigureAwait(false);
        var s = BotStatistics.Collect(db, retrainingOptions.Value.MinVotes);
        var waiting = db.ResolvedLabels(retrainingOptions.Value.MinVotes).Count;
        await rest.EditOriginalInteractionResponseAsync(i.ApplicationId, i.Token, new MessageEdit
        {
            Embeds =
            [
                new Embed
                {
                    Title = s.Champion is null ? "No model yet" : $"Model {s.Champion}",
                    Description = string.Join("\n", s.Lines()),
                    Fields =
                    [
                        new EmbedField { Name = "Holdout error", Value = Percent(s.ChampionHoldoutError ?? s.ChampionValidError), Inline = true },
                        new EmbedField { Name = "Predictions since training", Value = s.PredictionsSinceTraining.ToString(), Inline = true },
                        new EmbedField { Name = "Corrections since training", Value = s.LabelsSinceTraining.ToString(), Inline = true },
                        new EmbedField { Name = "Labels waiting for the next training", Value = $"{waiting} resolved ({s.Misclassified} where the model was wrong)", Inline = false },
                    ],
                },
            ],
        }, ct: ct).ConfigureAwait(false);
    }

    private async Task RetrainAsync(Interaction i, CancellationToken ct)
    {
        var user = i.InvokingUser?.Id ?? "";
        if (!options.Value.IsOperator(user, i.Member?.Roles))
        {
            await rest.CreateInteractionResponseAsync(i.Id, i.Token,
                InteractionResponse.Message("Only operators can retrain the model (Discord:OperatorUserIds / Discord:OperatorRoleIds).", ephemeral: true), ct: ct)
                .ConfigureAwait(false);
            return;
        }
        if (retraining.IsRunning)
        {
            await rest.CreateInteractionResponseAsync(i.Id, i.Token, InteractionResponse.Message("A retraining is already running; I'll post its result when it finishes.", ephemeral: true), ct: ct)
                .ConfigureAwait(false);
            return;
        }
        await rest.CreateInteractionResponseAsync(i.Id, i.Token, InteractionResponse.Deferred(), ct: ct).ConfigureAwait(false);
        var progress = new ThrottledProgress(time, TimeSpan.FromSeconds(10), text => Edit(i, new MessageEdit { Content = $"⏳ {text}" }, null, ct));
        var outcome = await retraining.RetrainAsync($"discord /retrain by {user}", progress, ct).ConfigureAwait(false);
        var files = outcome.ConfusionMatrixPng is { } png && File.Exists(png) ? new[] { new FileAttachment("confusion_matrix.png", await File.ReadAllBytesAsync(png, ct).ConfigureAwait(false), "image/png") } : null;
        await progress.DrainAsync().ConfigureAwait(false);
        await Edit(i, new MessageEdit
        {
            Content = outcome.Status == RetrainStatus.Promoted ? "✅ New model promoted." : outcome.Status == RetrainStatus.Rejected ? "↩️ The champion stays." : "⚠️ Retraining did not finish.",
            Embeds = [new Embed { Title = $"Retraining {outcome.Status}", Description = outcome.Summary(), Image = files is null ? null : new EmbedMedia { Url = "attachment://confusion_matrix.png" } }],
        }, files, ct).ConfigureAwait(false);
    }

    /// <summary>Edits the deferred answer; after 15 minutes its token has expired, so the result goes to the channel instead.</summary>
    private async Task Edit(Interaction i, MessageEdit edit, IReadOnlyList<FileAttachment>? files, CancellationToken ct)
    {
        try
        {
            await rest.EditOriginalInteractionResponseAsync(i.ApplicationId, i.Token, edit, files, ct).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (i.ChannelId is not null && edit.Embeds is not null)
        {
            LogEditFailed(logger, ex.Message);
            await rest.CreateMessageAsync(i.ChannelId, new MessageCreate { Content = edit.Content, Embeds = edit.Embeds }, files, ct).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            LogEditFailed(logger, ex.Message); // a progress line that could not be shown is not worth more
        }
    }

    private static string Percent(double? v) => v is { } x ? $"{x:P1}" : "n/a";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not edit the /retrain answer ({Reason}).")]
    private static partial void LogEditFailed(ILogger logger, string reason);
}
