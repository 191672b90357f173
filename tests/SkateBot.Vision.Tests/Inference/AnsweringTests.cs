using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Tests.Inference;

public sealed class AnsweringTests
{
    private static readonly string[] Three = ["aggressive_skates", "inline_skates", "other"];

    [Fact]
    public void Decide_OtherMostLikely_IsUnsureWithTheClosestSkateClass()
    {
        var (label, best, confidence, reason) = Answering.Decide(Three, [0.2, 0.1, 0.7]);
        Assert.Equal(Answering.Unsure, label);
        Assert.Equal("aggressive_skates", best);
        Assert.Equal(0.2, confidence, 9);
        Assert.Contains("inline skate", reason);
    }

    [Fact]
    public void Decide_NoSkateClassLikelyEnough_IsUnsure()
    {
        var (label, _, _, reason) = Answering.Decide(["aggressive_skates", "inline_skates", "other"], [0.3, 0.25, 0.45]);
        Assert.Equal(Answering.Unsure, label);
        Assert.Equal("too close to call", reason);
    }

    [Fact]
    public void Decide_ConfidentSkateClass_NamesIt()
    {
        var (label, best, _, reason) = Answering.Decide(Three, [0.05, 0.9, 0.05]);
        Assert.Equal("inline_skates", label);
        Assert.Equal(label, best);
        Assert.Null(reason);
    }

    [Fact]
    public void Decide_OtherBelowHalfAndOneSkateClassClear_NamesIt()
    {
        // "other" is the single most likely class, but the photo is more likely a skate than not, and clearly inline.
        var (label, _, _, _) = Answering.Decide(Three, [0.05, 0.47, 0.48]);
        Assert.Equal("inline_skates", label);
    }
}
