using SkateBot.Features.Retraining;
using SkateBot.Storage;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>When a label becomes trusted, read from its vote history.</summary>
public sealed class LabelTrustTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ThreeDays = TimeSpan.FromDays(3);
    private const string Sha = "0000000000000000000000000000000000000000000000000000000000000001";
    private long _id;

    private LabelVote Vote(string user, string className, TimeSpan at, bool isOperator = false, TimeSpan? withdrawnAt = null) => new()
    {
        Id = ++_id, ImageSha = Sha, UserId = user, ClassName = className, IsOperator = isOperator, Where = "test", At = T0 + at,
        Withdrawn = withdrawnAt is not null, WithdrawnAt = T0 + withdrawnAt,
    };

    [Fact]
    public void Decide_OneVoteUndisputedForTrustAfter_TrustedWithItsClassWhenItAged()
    {
        var votes = new[] { Vote("alice", "inline", TimeSpan.Zero) };

        Assert.Null(LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(2.9)));
        var decision = LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(4));
        Assert.Equal(new TrustDecision("inline", T0 + ThreeDays, "agreed since 2025-06-01 12:00 UTC for 3.00:00:00"), decision);
    }

    [Fact]
    public void Decide_AgedThenRelabelledByAnOperator_KeepsTheClassThatAged()
    {
        var votes = new[] { Vote("alice", "inline", TimeSpan.Zero), Vote("operator", "aggressive", TimeSpan.FromDays(4), isOperator: true) };

        Assert.Equal("inline", LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(4.1))?.ClassName);
    }

    [Fact]
    public void Decide_RelabelledBeforeItAged_ClockStartsAgainWithTheNewClass()
    {
        var votes = new[] { Vote("alice", "inline", TimeSpan.Zero), Vote("operator", "aggressive", TimeSpan.FromDays(1), isOperator: true) };

        Assert.Null(LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(3.5)));
        Assert.Equal(new TrustDecision("aggressive", T0 + TimeSpan.FromDays(4), "agreed since 2025-06-02 12:00 UTC for 3.00:00:00"),
            LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(5)));
    }

    [Fact]
    public void Decide_VoteWithdrawnAndCastAgain_AgreementMustLastWithoutABreak()
    {
        var votes = new[] { Vote("alice", "inline", TimeSpan.Zero, withdrawnAt: TimeSpan.FromDays(2)), Vote("bob", "inline", TimeSpan.FromDays(2.5)) };

        Assert.Null(LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(5)));
        Assert.NotNull(LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromDays(5.5)));
    }

    [Fact]
    public void Decide_TwoPeopleAgree_TrustedAtOnceAndALaterDissentDoesNotUndoIt()
    {
        var votes = new[]
        {
            Vote("alice", "inline", TimeSpan.Zero), Vote("bob", "inline", TimeSpan.FromHours(1)),
            Vote("operator", "aggressive", TimeSpan.FromHours(2), isOperator: true),
        };

        var decision = LabelTrust.Decide(votes, 1, ThreeDays, T0 + TimeSpan.FromHours(3));

        Assert.Equal(new TrustDecision("inline", T0 + TimeSpan.FromHours(1), "confirmed by 2 agreeing people on 2025-06-01 13:00 UTC"), decision);
    }

    [Fact]
    public void Decide_OperatorAloneOrPeopleDisagreeing_NotConfirmed()
    {
        var now = T0 + TimeSpan.FromDays(1);
        Assert.Null(LabelTrust.Decide([Vote("operator", "aggressive", TimeSpan.Zero, isOperator: true)], 1, ThreeDays, now));
        // 2:1 resolves, but a current vote against it is no confirmation.
        Assert.Null(LabelTrust.Decide(
            [Vote("alice", "inline", TimeSpan.Zero), Vote("carol", "aggressive", TimeSpan.Zero), Vote("bob", "inline", TimeSpan.FromHours(1))], 1, ThreeDays, now));
    }

    [Fact]
    public void Decide_TieOrTooFewVotes_NeverTrusted()
    {
        var later = T0 + TimeSpan.FromDays(30);
        Assert.Null(LabelTrust.Decide([Vote("alice", "inline", TimeSpan.Zero), Vote("bob", "aggressive", TimeSpan.Zero)], 1, ThreeDays, later));
        Assert.Null(LabelTrust.Decide([Vote("alice", "inline", TimeSpan.Zero)], 2, ThreeDays, later));
    }
}
