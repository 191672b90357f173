using SkateBot.Discord.Models;
using SkateBot.Features.Discord;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.ReviewQueue;

/// <summary>Where a reviewed image was found: shown as the embed's title and link.</summary>
public sealed record ReviewSource(string Title, string Permalink, string Where);

/// <summary>How review and feed posts look: the photo, a link to the post, the prediction, the reaction legend.</summary>
public static class ReviewMessage
{
    public const string ImageFileName = "image.jpg";

    public static MessageCreate Create(ClassificationResult result, IReadOnlyList<string> classes, ReviewSource source, bool uncertain, bool withImage) => new()
    {
        Content = uncertain ? "🔎 Not sure about this one. Which is it?" : null,
        Embeds =
        [
            new Embed
            {
                Title = ReplyFormatter.Truncate(string.IsNullOrWhiteSpace(source.Title) ? "Photo" : source.Title, 256),
                Url = source.Permalink,
                Description = (!result.IsUnsure
                        ? $"Prediction: **{ReactionVocabulary.Pretty(result.Label)}**, {result.Confidence:P0} sure (margin {result.Margin:0.00})"
                        : result.LooksNotInline
                            ? $"Prediction: **not sure** ({result.UnsureReason}, {result.OtherProbability:P0} not one); closest skate class {ReactionVocabulary.Pretty(result.BestClass)}, {result.Confidence:P0}"
                            : $"Prediction: **not sure** ({result.UnsureReason}); closest {ReactionVocabulary.Pretty(result.BestClass)}, {result.Confidence:P0}")
                    + $" · model `{result.ModelVersion}`\n"
                    + $"React with the right class: {ReactionVocabulary.Legend(classes)}",
                Color = uncertain ? 0xF1C40F : 0x2ECC71,
                Image = withImage ? new EmbedMedia { Url = "attachment://" + ImageFileName } : null,
                Footer = new EmbedFooter { Text = ReplyFormatter.Truncate(source.Where, 200) },
            },
        ],
    };
}
