using SkateBot.Features.Discord;
using SkateBot.Features.RedditScanning;
using SkateBot.Features.ReviewQueue;
using SkateBot.Storage;
using SkateBot.Vision.Inference;

namespace SkateBot.Tests.Features.Discord;

/// <summary>How an "unsure" answer looks and which reactions count on it (no gateway needed).</summary>
public sealed class UnsureReplyTests
{
    private static readonly string[] Classes = ["aggressive_skates", "inline_skates", "other"];
    private static readonly ReactionVocabulary Vocabulary = new("✅", "❌");

    private static ClassificationResult Unsure() => new(Answering.Unsure, 0.3,
        new Dictionary<string, double> { ["aggressive_skates"] = 0.3, ["inline_skates"] = 0.1, ["other"] = 0.6 }, "v4")
    { BestClass = "aggressive_skates", UnsureReason = "this does not look like an inline skate" };

    [Fact]
    public void Prediction_Unsure_SaysSoAndOffersTheClassReactions()
    {
        var embed = ReplyFormatter.Prediction(Unsure(), "quad.jpg", 0, 1, Vocabulary, Classes);
        Assert.Equal("Not sure", embed.Title);
        Assert.Contains("does not look like an inline skate", embed.Description);
        Assert.Contains("v4", embed.Description);
        Assert.Contains("1️⃣ aggressive skates", embed.Footer!.Text);
        Assert.Contains("3️⃣ not an inline skate", embed.Footer!.Text);
    }

    [Fact]
    public void Prediction_NotAnInlineSkate_GivesHowSureOfThatNotTheSkateClassAsItsCertainty()
    {
        // Seen in the sandbox: a drawn quad at 100 % other was answered "Closest: aggressive skates, **0 %** sure",
        // which reads as "0 % sure of this answer".
        var quad = Unsure() with
        {
            Confidence = 0.003,
            Probabilities = new Dictionary<string, double> { ["aggressive_skates"] = 0.003, ["inline_skates"] = 0.001, ["other"] = 0.996 },
        };

        var discord = ReplyFormatter.Prediction(quad, "quad.jpg", 0, 1, Vocabulary, Classes).Description!;
        var review = ReviewMessage.Create(quad, Classes, new ReviewSource("A quad", "https://www.reddit.com/r/rollerskating/comments/1", "r/rollerskating"), uncertain: false, withImage: false)
            .Embeds![0].Description!;

        Assert.True(discord.Contains("this does not look like an inline skate (**100 %** not one)", StringComparison.Ordinal), discord);
        Assert.DoesNotContain("**0 %** sure", discord);
        Assert.Contains("closest skate class aggressive skates, 0 %", discord);
        Assert.Contains("(this does not look like an inline skate, 100 % not one); closest skate class aggressive skates, 0 %", review);
    }

    [Fact]
    public void Prediction_Unsure_AsksForACloserPhoto_ButANamedClassDoesNot()
    {
        Assert.Contains(ReplyFormatter.CloserPhoto, ReplyFormatter.Prediction(Unsure(), "park.jpg", 0, 1, Vocabulary, Classes).Description);
        var named = new ClassificationResult("inline_skates", 0.95,
            new Dictionary<string, double> { ["aggressive_skates"] = 0.03, ["inline_skates"] = 0.95, ["other"] = 0.02 }, "v4")
        { BestClass = "inline_skates" };
        Assert.DoesNotContain("closer", ReplyFormatter.Prediction(named, "park.jpg", 0, 1, Vocabulary, Classes).Description);
    }

    [Fact]
    public void ClassFor_RightOrWrongOnAnUnsureAnswer_MeansNothing()
    {
        var item = new MessageLinkItem(new string('a', 64), Answering.Unsure, ["aggressive_skates", "inline_skates"], "v4");
        Assert.Null(Vocabulary.ClassFor("✅", item)); // would otherwise store the label "unsure"
        Assert.Null(Vocabulary.ClassFor("❌", item));
        Assert.Equal("inline_skates", Vocabulary.ClassFor("2️⃣", item));
    }

    [Fact]
    public void IsUncertain_UnsureAnswer_GoesToReviewWhateverItsConfidence()
    {
        var settings = new RedditScanningOptions { UncertainBelowConfidence = 0, UncertainBelowMargin = 0 };
        Assert.True(RedditPostProcessor.IsUncertain(Unsure() with { Confidence = 0.99 }, settings));
    }

    [Fact]
    public void NeedsReview_InANotInlineSubreddit_IsEveryAnswerButNotAnInlineSkate()
    {
        var settings = new RedditScanningOptions { UncertainBelowConfidence = 0.75, UncertainBelowMargin = 0.3, NotInlineSubreddits = ["rollerskating"] };
        var sure = new ClassificationResult("inline_skates", 0.97,
            new Dictionary<string, double> { ["aggressive_skates"] = 0.01, ["inline_skates"] = 0.97, ["other"] = 0.02 }, "v4");
        var tooClose = Unsure() with { Probabilities = new Dictionary<string, double> { ["aggressive_skates"] = 0.45, ["inline_skates"] = 0.4, ["other"] = 0.15 },
            UnsureReason = "too close to call" };

        Assert.False(RedditPostProcessor.NeedsReview(sure, "rollerblading", settings)); // the feed, as before
        Assert.True(RedditPostProcessor.NeedsReview(sure, "RollerSkating", settings));   // a quad named a skate class: review
        Assert.True(RedditPostProcessor.NeedsReview(tooClose, "rollerskating", settings));
        Assert.False(RedditPostProcessor.NeedsReview(Unsure(), "rollerskating", settings)); // "not an inline skate": the feed
        Assert.True(RedditPostProcessor.NeedsReview(Unsure(), "rollerblading", settings));
        var twoClasses = new ClassificationResult("inline_skates", 0.97, new Dictionary<string, double> { ["aggressive_skates"] = 0.03, ["inline_skates"] = 0.97 }, "v1");
        Assert.False(RedditPostProcessor.NeedsReview(twoClasses, "rollerskating", settings)); // no "other" to answer with: the usual rule
    }
}
