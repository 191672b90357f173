using SkateBot.Discord.Models;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Discord;

/// <summary>How answers look in Discord.</summary>
public static class ReplyFormatter
{
    /// <summary>The one note a person gets when they send more photos in a minute than <c>Discord:PhotosPerUserPerMinute</c>.</summary>
    public static string SlowDown(int perMinute) =>
        $"🛑 That's a lot of photos! I look at up to {perMinute} per person per minute, so I skipped the rest; send them again in a minute.";

    /// <summary>The answer to a photo that arrives while <c>Discord:MaxPhotosInProgress</c> photos are already being looked at.</summary>
    public const string Busy = "⏳ I'm looking at a lot of photos right now, so I skipped this one; please post it again in a minute.";

    /// <summary>
    /// Under an unsure answer. The wrong and unsure answers are mostly whole-body photos with small skates, and zooming in
    /// on its own did not help the model (README, "Photos from the wild", session 15); a person can send a closer photo.
    /// </summary>
    public const string CloserPhoto = "If these are skates, a photo closer to them helps me tell; either way, your reaction teaches me.";

    /// <summary>Above an answer that could not be stored (the bot's disk is full): no reactions are offered with it.</summary>
    public const string NotRecorded = "⚠️ My storage is full, so this answer is not recorded and cannot be corrected right now.";

    public static Embed Prediction(ClassificationResult r, string imageName, int index, int count, ReactionVocabulary vocabulary, IReadOnlyList<string> classes)
    {
        var offered = vocabulary.Offered(classes, perClass: r.IsUnsure);
        var hint = offered.Count == 2 && offered[0] == vocabulary.Right
            ? $"React {vocabulary.Right} if this is right, {vocabulary.Wrong} if it is wrong."
            : $"React with the right class: {ReactionVocabulary.Legend(classes)}";
        var of = count > 1 ? $" · image {index + 1} of {count}" : "";
        return new Embed
        {
            Title = r.IsUnsure ? "Not sure" : char.ToUpperInvariant(ReactionVocabulary.Pretty(r.Label)[0]) + ReactionVocabulary.Pretty(r.Label)[1..],
            Description = !r.IsUnsure
                ? $"**{r.Confidence:P0}** sure · model `{r.ModelVersion}`{of}"
                : r.LooksNotInline
                    ? $"I'm not sure: {r.UnsureReason} (**{r.OtherProbability:P0}** not one); closest skate class {ReactionVocabulary.Pretty(r.BestClass)}, {r.Confidence:P0} · model `{r.ModelVersion}`{of}\n{CloserPhoto}"
                    : $"I'm not sure: {r.UnsureReason}. Closest: {ReactionVocabulary.Pretty(r.BestClass)}, **{r.Confidence:P0}** sure · model `{r.ModelVersion}`{of}\n{CloserPhoto}",
            Color = r.IsUnsure ? 0x95A5A6 : r.Label.Contains("aggressive", StringComparison.OrdinalIgnoreCase) ? 0xE74C3C : 0x3498DB,
            Fields = r.Probabilities.OrderByDescending(p => p.Value)
                .Select(p => new EmbedField { Name = ReactionVocabulary.Pretty(p.Key), Value = $"{p.Value:P1}", Inline = true }).ToList(),
            Footer = new EmbedFooter { Text = $"{Truncate(imageName, 60)} · {hint}" },
        };
    }

    /// <summary>
    /// A slash command's answer posted in the channel because Discord no longer took it as the command's answer (the person
    /// was told "The application did not respond", or a long /retrain outlived its 15-minute token): it names them, so they
    /// find it.
    /// </summary>
    public static string Late(string command, string userId, string? content) =>
        $"<@{userId}> here is the answer to your `/{command}`; it came too late to show under the command."
        + (content is null ? "" : "\n" + content);

    public static string Problem(string imageName, string reason) =>
        $"Sorry, I couldn't look at **{Truncate(imageName, 80)}**: {reason}";

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
