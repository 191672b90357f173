using Microsoft.Extensions.Options;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Retraining;

namespace SkateBot.Features.Discord;

/// <summary>Posts the outcome of automatic retrains (with the confusion matrix) to <c>Discord:OperatorChannelId</c>, when set.</summary>
public sealed class OperatorChannelReporter(DiscordRestClient rest, IOptions<DiscordOptions> options) : IRetrainListener
{
    public async Task OnRetrainedAsync(string trigger, RetrainOutcome outcome, CancellationToken ct)
    {
        var channel = options.Value.OperatorChannelId;
        if (string.IsNullOrWhiteSpace(channel)) return;
        var files = outcome.ConfusionMatrixPng is { } png && File.Exists(png)
            ? new[] { new FileAttachment("confusion_matrix.png", await File.ReadAllBytesAsync(png, ct).ConfigureAwait(false), "image/png") }
            : null;
        await rest.CreateMessageAsync(channel, new MessageCreate
        {
            Embeds =
            [
                new Embed
                {
                    Title = $"Automatic retraining {outcome.Status} ({trigger})",
                    Description = outcome.Summary(),
                    Image = files is null ? null : new EmbedMedia { Url = "attachment://confusion_matrix.png" },
                },
            ],
        }, files, ct).ConfigureAwait(false);
    }
}
