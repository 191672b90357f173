namespace SkateBot.Storage.Tests;

public sealed class ImageStoreTests : IDisposable
{
    private readonly TestDb _t = new();

    [Fact]
    public void Put_SameShaTwice_StoredOnceWithOriginsMerged()
    {
        var sha = TestDb.Sha("photo");
        var discord = new ImageOrigin("discord", "111", "https://cdn.example/a.jpg", _t.Time.GetUtcNow());
        var reddit = new ImageOrigin("reddit", "t3_abc", "https://i.example/a.jpg", _t.Time.GetUtcNow());

        _t.Db.Images.Put(sha, [9, 9, 9], 3, 1, discord);
        _t.Time.Advance(TimeSpan.FromMinutes(1));
        var merged = _t.Db.Images.Put(sha, [7, 7], 2, 1, reddit);
        _t.Db.Images.Put(sha, [7, 7], 2, 1, discord with { At = _t.Time.GetUtcNow() });

        var stored = _t.Reopen().Images.Get(sha)!;
        Assert.Equal(new[] { discord, reddit }, stored.Origins);
        Assert.Equal(merged.Origins, stored.Origins);
        Assert.Equal((3, 1, 3L), (stored.Width, stored.Height, stored.ByteLength));
        Assert.Equal([9, 9, 9], _t.Db.Images.ReadBytes(sha));
        Assert.Equal([sha], _t.Db.Images.AllShas());
    }

    [Fact]
    public void ReadBytes_LargeImage_RoundTrips()
    {
        var bytes = new byte[700_000];
        new Random(42).NextBytes(bytes);
        var sha = TestDb.Sha("large");

        _t.Db.Images.Put(sha, bytes, 512, 384, new ImageOrigin("base", "data/base/a.jpg", null, _t.Time.GetUtcNow()));

        Assert.Equal(bytes, _t.Reopen().Images.ReadBytes(sha));
    }

    [Fact]
    public void Put_UpperCaseSha_StoredLowerCase()
    {
        var sha = TestDb.Sha("case");
        _t.Db.Images.Put(sha.ToUpperInvariant(), [1], 1, 1, new ImageOrigin("cli", null, null, _t.Time.GetUtcNow()));

        Assert.True(_t.Db.Images.Exists(sha));
        Assert.Equal(sha, _t.Db.Images.Get(sha.ToUpperInvariant())!.Sha256);
    }

    [Fact]
    public void GetAndReadBytes_UnknownSha_Null()
    {
        var sha = TestDb.Sha("missing");

        Assert.Null(_t.Db.Images.Get(sha));
        Assert.Null(_t.Db.Images.ReadBytes(sha));
        Assert.False(_t.Db.Images.Exists(sha));
    }

    [Fact]
    public void Put_BadInput_ThrowsNamingTheProblem()
    {
        var sha = TestDb.Sha("bad");
        var origin = new ImageOrigin("cli", null, null, _t.Time.GetUtcNow());

        Assert.Contains("origin kind", Assert.Throws<ArgumentException>(() => _t.Db.Images.Put(sha, [1], 1, 1, origin with { Kind = "flickr" })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _t.Db.Images.Put(sha, [], 1, 1, origin));
        Assert.Throws<ArgumentOutOfRangeException>(() => _t.Db.Images.Put(sha, [1], 0, 1, origin));
        Assert.False(_t.Db.Images.Exists(sha));
    }

    public void Dispose() => _t.Dispose();
}
