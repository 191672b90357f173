using SkateBot.Testing.Paths;
using SkateBot.Vision.Training;

namespace SkateBot.Vision.Tests.Training;

/// <summary>The on-disk store itself: round trip, damaged files, size bound (no network, no torch forward).</summary>
public sealed class FeatureCacheTests
{
    private static readonly FeatureKey Key = new(new string('a', 64), new string('b', 64), "views1;plain;multi;224");

    private static float[] Rows(int rows, int dim, float seed) => Enumerable.Range(0, rows * dim).Select(i => seed + i * 0.5f).ToArray();

    [Fact]
    public void Put_ThenTryGet_ReturnsTheSameValues()
    {
        using var dir = new TempDirectory("feature-cache");
        var cache = new FeatureCache(dir.Path);
        var stored = Rows(3, 512, 1);

        Assert.True(cache.Put(Key, stored, 3, 512));
        var read = new FeatureCache(dir.Path).TryGet(Key, 3, 512);

        Assert.Equal(stored, read);
        Assert.Null(cache.TryGet(Key with { Variant = "views1;aug0" }, 1, 512));
        Assert.Null(cache.TryGet(Key with { BodyVersion = new string('c', 64) }, 3, 512));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("empty")]
    [InlineData("other-shape")]
    public void TryGet_DamagedEntry_IsAMissAndTheFileIsRemoved(string damage)
    {
        using var dir = new TempDirectory("feature-cache-bad");
        var cache = new FeatureCache(dir.Path);
        cache.Put(Key, Rows(3, 512, 2), 3, 512);
        var path = cache.PathOf(Key);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); break;
            case "flipped": bytes[bytes.Length / 2] ^= 0x40; File.WriteAllBytes(path, bytes); break;
            case "empty": File.WriteAllBytes(path, []); break;
        }

        var rows = damage == "other-shape" ? 1 : 3;
        Assert.Null(cache.TryGet(Key, rows, 512));
        Assert.Equal(1, cache.Stats.Corrupt);
        Assert.False(File.Exists(path));
        // And it can be written again.
        Assert.True(cache.Put(Key, Rows(3, 512, 2), 3, 512));
        Assert.NotNull(cache.TryGet(Key, 3, 512));
    }

    [Fact]
    public void TryGet_AnotherKeysFileUnderThisName_IsAMiss()
    {
        using var dir = new TempDirectory("feature-cache-key");
        var cache = new FeatureCache(dir.Path);
        var other = Key with { Variant = "something else" };
        cache.Put(other, Rows(3, 512, 3), 3, 512);
        Directory.CreateDirectory(Path.GetDirectoryName(cache.PathOf(Key))!);
        File.Copy(cache.PathOf(other), cache.PathOf(Key), overwrite: true);

        Assert.Null(cache.TryGet(Key, 3, 512));
        Assert.NotNull(cache.TryGet(other, 3, 512));
    }

    [Fact]
    public void Trim_OverTheBound_DropsTheLeastRecentlyUsedFirst()
    {
        using var dir = new TempDirectory("feature-cache-trim");
        var probe = new FeatureCache(dir.Path);
        var keys = Enumerable.Range(0, 10).Select(i => Key with { ImageHash = $"{i:x2}" + new string('d', 62) }).ToList();
        foreach (var key in keys) probe.Put(key, Rows(1, 512, 4), 1, 512);
        var entry = new FileInfo(probe.PathOf(keys[0])).Length;
        for (var i = 0; i < keys.Count; i++) File.SetLastWriteTimeUtc(probe.PathOf(keys[i]), TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(i - 100));
        var cache = new FeatureCache(dir.Path, maxBytes: entry * 4);
        Assert.NotNull(cache.TryGet(keys[0], 1, 512)); // used just now: the newest

        cache.Trim();

        Assert.True(cache.SizeOnDisk() <= entry * 4);
        Assert.Equal(6, cache.Stats.Evicted);
        Assert.True(File.Exists(cache.PathOf(keys[0])));
        Assert.All(keys.Skip(1).Take(6), k => Assert.False(File.Exists(cache.PathOf(k))));
        Assert.All(keys.Skip(7), k => Assert.True(File.Exists(cache.PathOf(k))));
    }
}
