namespace SkateBot.Storage.Tests;

public sealed class TrustedLabelStoreTests : IDisposable
{
    private readonly TestDb _t = new();

    private TrustedLabel Entry(string sha, string className, string reason = "agreed for 3 days") =>
        new() { ImageSha = sha, ClassName = className, TrustedAt = _t.Time.GetUtcNow(), Reason = reason };

    [Fact]
    public void Admit_VotesAndImportsChangeTheLabelAfterwards_TrustedClassStaysFrozen()
    {
        var sha = _t.PutImage();
        _t.Db.Labels.Vote(sha, "inline", "discord:1", false, "discord:c/m");
        var admitted = Assert.Single(_t.Db.Trusted.Admit([Entry(sha, "inline")]));
        Assert.Equal(_t.Time.GetUtcNow(), admitted.RecordedAt);

        // Later votes rewrite the label, and a sync offers the new class: the trusted entry keeps the old one.
        _t.Time.Advance(TimeSpan.FromDays(1));
        _t.Db.Labels.Vote(sha, "aggressive", "operator", true, "cli:labels import");
        _t.Db.Labels.Vote(sha, "aggressive", "discord:2", false, "discord:c/m");
        Assert.Empty(_t.Db.Trusted.Admit([Entry(sha, "aggressive", "confirmed by 2 agreeing people")]));

        Assert.Equal("aggressive", _t.Db.Labels.Resolve(sha, 1).ClassName);
        Assert.Equal(admitted, _t.Db.Trusted.Get(sha));
        Assert.Equal(admitted, Assert.Single(_t.Reopen().Trusted.List()));
    }

    [Fact]
    public void Admit_SeveralImages_WritesOnlyTheNewOnesInShaOrder()
    {
        var a = _t.PutImage("a");
        var b = _t.PutImage("b");
        _t.Db.Trusted.Admit([Entry(a, "inline")]);

        var written = _t.Db.Trusted.Admit([Entry(b.ToUpperInvariant(), "aggressive"), Entry(a, "aggressive")]);

        Assert.Equal([b], written.Select(w => w.ImageSha));
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), _t.Db.Trusted.List().Select(t => t.ImageSha));
        Assert.Equal("inline", _t.Db.Trusted.Get(a)!.ClassName);
        Assert.Null(_t.Db.Trusted.Get(TestDb.Sha("never")));
    }

    [Fact]
    public void Admit_ImageNotStoredOrBlankClass_ThrowsAndWritesNothing()
    {
        var stored = _t.PutImage();

        Assert.Throws<InvalidOperationException>(() => _t.Db.Trusted.Admit([Entry(stored, "inline"), Entry(TestDb.Sha("missing"), "inline")]));
        Assert.Throws<ArgumentException>(() => _t.Db.Trusted.Admit([Entry(stored, " ")]));
        Assert.Empty(_t.Db.Trusted.List());
    }

    public void Dispose() => _t.Dispose();
}
