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
/// 3 s) and edits it when the work is done, or answers in the channel when Discord no longer takes it
/// (<see cref="SlashCommandAnswer"/>); /retrain refuses non-operators with an ephemeral message.
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
            var answer = await SlashCommandAnswer.DeferAsync(rest, i, SlashCommands.Classify, logger, ct).ConfigureAwait(false);
            if (answer is not null) await AnswerClassifyAsync(i, attachment, url, answer, ct).ConfigureAwait(false);
        }
        finally
        {
            replies.Release(1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Declined /classify interaction {Interaction}: Discord:MaxPhotosInProgress photos are already in progress.")]
    private static partial void LogBusy(ILogger logger, string interaction);

    private async Task AnswerClassifyAsync(Interaction i, Attachment attachment, Uri url, SlashCommandAnswer answer, CancellationToken ct)
    {
        try
        {
            var bytes = await downloader.DownloadAsync(url, ct).ConfigureAwait(false);
            var origin = new ImageOrigin("discord", $"{i.ChannelId}/interaction/{i.Id}", url.GetLeftPart(UriPartial.Path), time.GetUtcNow());
            var classified = await pipeline.ClassifyAsync(new ImageSubmission(bytes, attachment.Filename, origin), "discord:/classify", ct).ConfigureAwait(false);
            var classes = pipeline.Host.Classes;
            var message = await answer.SendAsync(null, ReplyFormatter.Prediction(classified.Result, attachment.Filename, 0, 1, vocabulary, classes), ct: ct).ConfigureAwait(false);
            await replies.Offer(message.ChannelId is { Length: > 0 } c ? c : i.ChannelId ?? "", message.Id, classified, classes, perClass: classified.Result.IsUnsure, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DownloadException or ImageLoadException or ModelNotReadyException)
        {
            var reason = ex is ImageLoadException load ? load.Reason : ex.Message;
            await answer.SendAsync(ReplyFormatter.Problem(attachment.Filename, reason), null, ct: ct).ConfigureAwait(false);
        }
    }

    private async Task StatsAsync(Interaction i, CancellationToken ct)
    {
        if (await SlashCommandAnswer.DeferAsync(rest, i, SlashCommands.Stats, logger, ct).ConfigureAwait(false) is not { } answer) return;
        var s = BotStatistics.Collect(db, retrainingOptions.Value.MinVotes);
        var waiting = db.ResolvedLabels(retrainingOptions.Value.MinVotes).Count;
        await answer.SendAsync(null,
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
        // A late /retrain still runs (the operator asked for it; running it again meanwhile answers "already running").
        if (await SlashCommandAnswer.DeferAsync(rest, i, SlashCommands.Retrain, logger, ct).ConfigureAwait(false) is not { } answer) return;
        var progress = new ThrottledProgress(time, TimeSpan.FromSeconds(10), text => ShowProgress(answer, $"⏳ {text}", ct));
        var outcome = await retraining.RetrainAsync($"discord /retrain by {user}", progress, ct).ConfigureAwait(false);
        var files = outcome.ConfusionMatrixPng is { } png && File.Exists(png) ? new[] { new FileAttachment("confusion_matrix.png", await File.ReadAllBytesAsync(png, ct).ConfigureAwait(false), "image/png") } : null;
        await progress.DrainAsync().ConfigureAwait(false);
        await answer.SendAsync(
            outcome.Status == RetrainStatus.Promoted ? "✅ New model promoted." : outcome.Status == RetrainStatus.Rejected ? "↩️ The champion stays." : "⚠️ Retraining did not finish.",
            new Embed { Title = $"Retraining {outcome.Status}", Description = outcome.Summary(), Image = files is null ? null : new EmbedMedia { Url = "attachment://confusion_matrix.png" } },
            files, ct).ConfigureAwait(false);
    }

    /// <summary>A progress line that could not be shown is not worth more than a log line.</summary>
    private async Task ShowProgress(SlashCommandAnswer answer, string text, CancellationToken ct)
    {
        try
        {
            await answer.SendAsync(text, null, ct: ct).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            LogProgressFailed(logger, ex.Message);
        }
    }

    private static string Percent(double? v) => v is { } x ? $"{x:P1}" : "n/a";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not show the /retrain progress ({Reason}).")]
    private static partial void LogProgressFailed(ILogger logger, string reason);
}
