namespace SkateBot.Storage.Tests;

public sealed class LabelResolverTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private long _nextId = 1;

    private LabelVote V(string user, string cls, int minute, bool op = false, bool withdrawn = false) => new()
    {
        Id = _nextId++,
        ImageSha = new string('a', 64),
        ClassName = cls,
        UserId = user,
        IsOperator = op,
        Where = "test",
        At = T0.AddMinutes(minute),
        Withdrawn = withdrawn,
        WithdrawnAt = withdrawn ? T0.AddMinutes(minute + 1) : null,
    };

    [Fact]
    public void Resolve_OperatorAgainstThreeUsers_OperatorWins()
    {
        var votes = new[] { V("u1", "inline", 0), V("u2", "inline", 1), V("u3", "inline", 2), V("op", "aggressive", 3, op: true) };

        Assert.Equal(new LabelResolution("aggressive", "operator", 1, 4), LabelResolver.Resolve(votes, minVotes: 2));
    }

    [Fact]
    public void Resolve_OperatorVotedBeforeUsers_OperatorStillWins()
    {
        var votes = new[] { V("op", "aggressive", 0, op: true), V("u1", "inline", 5), V("u2", "inline", 6) };

        Assert.Equal("aggressive", LabelResolver.Resolve(votes, 1).ClassName);
    }

    [Fact]
    public void Resolve_TwoOperatorsDisagree_LatestOperatorWins()
    {
        var votes = new[] { V("op2", "inline", 4, op: true), V("op1", "aggressive", 3, op: true) };

        Assert.Equal(new LabelResolution("inline", "operator", 1, 2), LabelResolver.Resolve(votes, 1));
    }

    [Fact]
    public void Resolve_WithdrawnOperatorVote_FallsBackToMajority()
    {
        var votes = new[] { V("op", "aggressive", 0, op: true, withdrawn: true), V("u1", "inline", 1), V("u2", "inline", 2) };

        Assert.Equal(new LabelResolution("inline", "majority", 2, 2), LabelResolver.Resolve(votes, 2));
    }

    [Fact]
    public void Resolve_StrictMajorityAtMinimum_Resolves()
    {
        var votes = new[] { V("u1", "inline", 0), V("u2", "inline", 1), V("u3", "aggressive", 2) };

        Assert.Equal(new LabelResolution("inline", "majority", 2, 3), LabelResolver.Resolve(votes, 2));
    }

    [Fact]
    public void Resolve_Tie_Unresolved()
    {
        var votes = new[] { V("u1", "inline", 0), V("u2", "aggressive", 1), V("u3", "inline", 2), V("u4", "aggressive", 3) };

        Assert.Equal(new LabelResolution(null, "tie", 2, 4), LabelResolver.Resolve(votes, 1));
    }

    [Fact]
    public void Resolve_WithdrawnVotesIgnored_RemainingVoteDecides()
    {
        var votes = new[] { V("u1", "aggressive", 0, withdrawn: true), V("u2", "aggressive", 1, withdrawn: true), V("u3", "inline", 2) };

        Assert.Equal(new LabelResolution("inline", "majority", 1, 1), LabelResolver.Resolve(votes, 1));
    }

    [Fact]
    public void Resolve_AllWithdrawn_NoVotes()
    {
        var votes = new[] { V("u1", "aggressive", 0, withdrawn: true) };

        Assert.Equal(new LabelResolution(null, "no-votes", 0, 0), LabelResolver.Resolve(votes, 1));
    }

    [Fact]
    public void Resolve_OneUserVotingTwice_CountsOnceWithLatest()
    {
        // Both votes current (e.g. history written by an older version): the user still counts once, latest wins.
        var votes = new[] { V("u1", "aggressive", 0), V("u1", "inline", 5), V("u2", "aggressive", 1) };

        Assert.Equal(new LabelResolution(null, "tie", 1, 2), LabelResolver.Resolve(votes, 1));
    }

    [Fact]
    public void Resolve_SameTimeTwice_HigherIdIsLatest()
    {
        var votes = new[] { V("u1", "aggressive", 0), V("u1", "inline", 0) };

        Assert.Equal("inline", LabelResolver.Resolve(votes, 1).ClassName);
    }

    [Fact]
    public void Resolve_OneUserAgainstTwoUserMajority_CannotFlipIt()
    {
        var votes = new List<LabelVote> { V("u1", "aggressive", 0), V("u2", "aggressive", 1), V("troll", "inline", 2) };
        votes.AddRange(Enumerable.Range(3, 10).Select(m => V("troll", "inline", m)));

        Assert.Equal(new LabelResolution("aggressive", "majority", 2, 3), LabelResolver.Resolve(votes, 2));
    }

    [Fact]
    public void Resolve_SingleVoteWithMinTwo_TooFewVotes()
    {
        Assert.Equal(new LabelResolution(null, "too-few-votes", 1, 1), LabelResolver.Resolve([V("u1", "inline", 0)], 2));
        Assert.Equal(new LabelResolution("inline", "majority", 1, 1), LabelResolver.Resolve([V("u1", "inline", 0)], 1));
    }

    [Fact]
    public void Resolve_NoVotes_NoVotesRule()
    {
        Assert.Equal(new LabelResolution(null, "no-votes", 0, 0), LabelResolver.Resolve([], 1));
    }

    [Fact]
    public void Resolve_MinVotesZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelResolver.Resolve([], 0));
    }
}
