namespace SkateBot.Storage.Tests;

public sealed class LabelStoreTests : IDisposable
{
    private readonly TestDb _t = new();

    [Fact]
    public void Vote_SameVoteTwice_StoredOnce()
    {
        var sha = _t.PutImage();
        var first = _t.Db.Labels.Vote(sha, "inline", "discord:1", false, "discord:c/m");
        _t.Time.Advance(TimeSpan.FromSeconds(5));
        var second = _t.Db.Labels.Vote(sha, "inline", "discord:1", false, "discord:c/m");

        Assert.Equal(first.Id, second.Id);
        var vote = Assert.Single(_t.Db.Labels.VotesFor(sha));
        Assert.False(vote.Withdrawn);
        Assert.Equal(first.At, vote.At);
    }

    [Fact]
    public void Vote_OtherClassBySameUser_SupersedesPrevious()
    {
        var sha = _t.PutImage();
        var first = _t.Db.Labels.Vote(sha, "inline", "discord:1", false, "discord:c/m");
        _t.Time.Advance(TimeSpan.FromMinutes(1));
        var second = _t.Db.Labels.Vote(sha, "aggressive", "discord:1", false, "discord:c/m");

        var votes = _t.Db.Labels.VotesFor(sha);
        Assert.Equal(2, votes.Count);
        Assert.True(votes.Single(v => v.Id == first.Id).Withdrawn);
        Assert.Equal(_t.Time.GetUtcNow(), votes.Single(v => v.Id == first.Id).WithdrawnAt);
        Assert.False(votes.Single(v => v.Id == second.Id).Withdrawn);
        Assert.Equal(new LabelResolution("aggressive", "majority", 1, 1), _t.Db.Labels.Resolve(sha, 1));
    }

    [Fact]
    public void Withdraw_ThenRevote_NewCurrentVote()
    {
        var sha = _t.PutImage();
        var first = _t.Db.Labels.Vote(sha, "inline", "u", false, "cli");

        Assert.True(_t.Db.Labels.Withdraw(sha, "u", "inline"));
        Assert.Equal("no-votes", _t.Db.Labels.Resolve(sha, 1).Rule);
        Assert.False(_t.Db.Labels.Withdraw(sha, "u", "inline"));

        var again = _t.Db.Labels.Vote(sha, "inline", "u", false, "cli");
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal([true, false], _t.Db.Labels.VotesFor(sha).Select(v => v.Withdrawn));
        Assert.Equal("inline", _t.Db.Labels.Resolve(sha, 1).ClassName);
    }

    [Fact]
    public void Withdraw_OtherClassThanCurrent_LeavesCurrentVote()
    {
        var sha = _t.PutImage();
        _t.Db.Labels.Vote(sha, "aggressive", "u", false, "cli");

        Assert.False(_t.Db.Labels.Withdraw(sha, "u", "inline"));
        Assert.Equal("aggressive", _t.Db.Labels.Resolve(sha, 1).ClassName);
    }

    [Fact]
    public void Vote_OperatorFlagChanges_ReplacesVote()
    {
        var sha = _t.PutImage();
        _t.Db.Labels.Vote(sha, "inline", "u", false, "cli");
        _t.Db.Labels.Vote(sha, "inline", "u", true, "cli");

        Assert.Equal("operator", _t.Db.Labels.Resolve(sha, 2).Rule);
        Assert.Single(_t.Db.Labels.VotesFor(sha), v => !v.Withdrawn);
    }

    [Fact]
    public void Vote_ImageNotStored_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _t.Db.Labels.Vote(TestDb.Sha("nope"), "inline", "u", false, "cli"));
        Assert.Contains("not stored", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Vote_NotASha_ThrowsArgumentException(string sha)
    {
        var error = Assert.Throws<ArgumentException>(() => _t.Db.Labels.Vote(sha, "inline", "u", false, "cli"));
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void ChangedSince_VotesAndWithdrawals_CountsDistinctImages()
    {
        var a = _t.PutImage("a");
        var b = _t.PutImage("b");
        var c = _t.PutImage("c");
        _t.Db.Labels.Vote(a, "inline", "u1", false, "cli");
        _t.Db.Labels.Vote(b, "inline", "u1", false, "cli");
        _t.Time.Advance(TimeSpan.FromHours(1));
        var since = _t.Time.GetUtcNow();
        _t.Db.Labels.Withdraw(a, "u1", "inline");
        _t.Db.Labels.Vote(c, "inline", "u1", false, "cli");
        _t.Db.Labels.Vote(c, "inline", "u2", false, "cli");

        Assert.Equal(2, _t.Db.Labels.ChangedSince(since));
        Assert.Equal(3, _t.Db.Labels.ChangedSince(since.AddHours(-2)));
        Assert.Equal(new[] { "b", "c" }.Select(TestDb.Sha).Order(StringComparer.Ordinal), _t.Db.Labels.ImagesWithCurrentVotes());
    }

    [Fact]
    public void ResolvedLabelsAndMisclassified_MixedImages_OnlyResolvedWrongOnesListed()
    {
        var right = _t.PutImage("right");
        var wrong = _t.PutImage("wrong");
        var unresolved = _t.PutImage("unresolved");
        var probabilities = new Dictionary<string, double> { ["aggressive"] = 0.8, ["inline"] = 0.2 };
        foreach (var sha in new[] { right, wrong, unresolved })
        {
            _t.Db.Predictions.Add(sha, "v1", "aggressive", probabilities);
        }

        _t.Db.Labels.Vote(right, "aggressive", "u1", false, "cli");
        _t.Db.Labels.Vote(right, "aggressive", "u2", false, "cli");
        _t.Db.Labels.Vote(wrong, "inline", "op", true, "cli");
        _t.Db.Labels.Vote(unresolved, "inline", "u1", false, "cli");

        Assert.Equal(
            new[] { new ResolvedLabel(right, "aggressive", "majority"), new ResolvedLabel(wrong, "inline", "operator") }.OrderBy(r => r.ImageSha, StringComparer.Ordinal),
            _t.Db.ResolvedLabels(minVotes: 2));
        var miss = Assert.Single(_t.Db.Misclassified(minVotes: 2));
        Assert.Equal((wrong, "inline", "aggressive", "v1"), (miss.ImageSha, miss.LabelClass, miss.PredictedClass, miss.ModelVersion));
        Assert.Equal(new StorageStats(3, 3, 4, 2, 1, 0, null), _t.Db.Stats(minVotes: 2));
    }

    public void Dispose() => _t.Dispose();
}
