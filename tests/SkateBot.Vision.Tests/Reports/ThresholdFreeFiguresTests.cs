using SkateBot.Vision.Evaluation;

namespace SkateBot.Vision.Tests.Reports;

/// <summary>
/// The two figures `eval` prints that do not depend on where the "not a skate" and "too close to call" lines are:
/// skate class right, and the AUC of P(other) (bench/recipe_cv.py computes the same from `predict --json`).
/// </summary>
public sealed class ThresholdFreeFiguresTests
{
    private static readonly string[] Three = ["aggressive_skates", "inline_skates", "other"];

    private static EvaluationResult Result(IReadOnlyList<string> classes, params (int Actual, double[] P)[] rows) => new()
    {
        Classes = classes,
        Items = rows.Select((r, j) => new ItemPrediction($"p{j}", r.Actual, Array.IndexOf(r.P, r.P.Max()), r.P, 0)
        {
            Answer = SkateBot.Vision.Inference.Answering.Decide(classes, r.P).Label,
        }).ToList(),
    };

    [Fact]
    public void OtherAuc_CountsEachOtherPhotoAboveASkatePhoto_TiesHalf()
    {
        // Skates with P(other) 0.1, 0.5, 0.2; other photos with 0.5 and 0.9: 0.5 beats two and ties one (2.5),
        // 0.9 beats all three: 5.5 of 6 pairs.
        var r = Result(Three,
            (0, [0.8, 0.1, 0.1]), (1, [0.2, 0.3, 0.5]), (1, [0.1, 0.7, 0.2]),
            (2, [0.3, 0.2, 0.5]), (2, [0.05, 0.05, 0.9]));
        Assert.Equal(5.5 / 6, r.OtherAuc, 12);
    }

    [Fact]
    public void OtherAuc_MatchesEveryPairCounted_OnASeededSetWithTies()
    {
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 60).Select(j =>
        {
            // Probabilities on a coarse grid, so many P(other) tie.
            var o = rng.Next(0, 11) / 10.0;
            var a = (1 - o) * rng.Next(0, 5) / 4.0;
            return (Actual: j % 3, P: new[] { a, 1 - o - a, o });
        }).ToArray();
        var r = Result(Three, rows);
        var skates = rows.Where(x => x.Actual != 2).Select(x => x.P[2]).ToList();
        var others = rows.Where(x => x.Actual == 2).Select(x => x.P[2]).ToList();
        var wins = others.Sum(o => skates.Sum(s => o > s ? 1.0 : o == s ? 0.5 : 0.0));
        Assert.Equal(wins / (skates.Count * others.Count), r.OtherAuc, 12);
        Assert.InRange(r.OtherAuc, 0.0, 1.0);
    }

    [Fact]
    public void OtherAuc_IsChanceForAModelThatNeverLearntOther_AndMissingWithoutBothKindsOfPhoto()
    {
        // A 2-class model's evaluation gives "other" no probability: every pair ties.
        var noOther = Result(Three, (0, [0.9, 0.1, 0]), (1, [0.3, 0.7, 0]), (2, [0.6, 0.4, 0]));
        Assert.Equal(0.5, noOther.OtherAuc, 12);
        Assert.True(double.IsNaN(Result(Three, (0, [0.9, 0.05, 0.05]), (1, [0.2, 0.7, 0.1])).OtherAuc));
        Assert.True(double.IsNaN(Result(Three, (2, [0.2, 0.1, 0.7])).OtherAuc));
        Assert.True(double.IsNaN(Result(["aggressive_skates", "inline_skates"], (0, [0.9, 0.1]), (1, [0.3, 0.7])).OtherAuc));
    }

    [Fact]
    public void SkateClassRight_AsksOnlyWhichSkateClassIsMoreProbable_WhateverTheAnswer()
    {
        var r = Result(Three,
            (0, [0.30, 0.10, 0.60]),   // answered unsure (not a skate), but aggressive beats inline: right
            (1, [0.45, 0.55, 0.00]),   // answered unsure (too close), inline ahead: right
            (1, [0.50, 0.40, 0.10]),   // the other skate class ahead: not right
            (0, [0.50, 0.50, 0.00]),   // a tie is not right
            (2, [0.90, 0.05, 0.05]));  // not a skate photo: not counted
        Assert.Equal("unsure", r.Items[0].Answer);
        Assert.Equal("unsure", r.Items[1].Answer);
        Assert.Equal(2.0 / 4, r.SkateClassRightRate, 12);
        Assert.True(double.IsNaN(Result(Three, (2, [0.1, 0.1, 0.8])).SkateClassRightRate));
    }
}
