using System.Diagnostics;
using SkateBot.Vision.Pretrained;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Pretrained;

public sealed class PretrainedBackboneTests(ITestOutputHelper output) : IDisposable
{
    private readonly string models = Directory.CreateTempSubdirectory("skatebot-models-").FullName;

    public void Dispose() => Directory.Delete(models, recursive: true);

    [Fact]
    public void LoadOrImport_SecondCall_LoadsCacheWithIdenticalOutputs()
    {
        var watch = Stopwatch.StartNew();
        var first = PretrainedBackbone.LoadOrImport(models, OnnxFiles.Directory);
        var importTime = watch.Elapsed;
        watch.Restart();
        var second = PretrainedBackbone.LoadOrImport(models, OnnxFiles.Directory);
        var loadTime = watch.Elapsed;
        output.WriteLine($"import + cache write {importTime.TotalMilliseconds:F0} ms, cache load {loadTime.TotalMilliseconds:F0} ms");

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Convention.MeanImage, second.Convention.MeanImage);
        Assert.Equal(first.Module.Geometry.Convs, second.Module.Geometry.Convs);
        Assert.Equal(Features(first), Features(second));
        Assert.True(loadTime < importTime, $"cache load {loadTime} was not faster than the import {importTime}");
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("empty")]
    public void LoadOrImport_CorruptCache_RebuildsIt(string damage)
    {
        var original = PretrainedBackbone.LoadOrImport(models, OnnxFiles.Directory);
        string cache = PretrainedBackbone.CachePath(models);
        Damage(cache, damage);

        var rebuilt = PretrainedBackbone.LoadOrImport(models, OnnxFiles.Directory);
        var reloaded = PretrainedBackbone.LoadOrImport(models, OnnxFiles.Directory);

        Assert.False(rebuilt.FromCache);
        Assert.True(reloaded.FromCache);
        Assert.Equal(Features(original), Features(reloaded));
        Assert.Equal([PretrainedBackbone.CacheFileName], Directory.GetFiles(Path.GetDirectoryName(cache)!).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadOrImport_MissingOnnxDirectory_NamesThePackage()
    {
        var e = Assert.Throws<FileNotFoundException>(
            () => PretrainedBackbone.LoadOrImport(models, Path.Combine(models, "no-such-dir")));

        Assert.Contains(ResNet18Importer.PackageName, e.Message);
        Assert.False(File.Exists(PretrainedBackbone.CachePath(models)));
    }

    private static void Damage(string path, string how)
    {
        byte[] bytes = File.ReadAllBytes(path);
        switch (how)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x40;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
                break;
            default:
                File.WriteAllBytes(path, []);
                break;
        }
    }

    private static float[] Features(ImportedBackbone backbone)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = backbone.Convention.Apply(tensor(TestImages.Synthetic(seed: 99), [1, 3, 224, 224]));
        return backbone.Module.forward(input).data<float>().ToArray();
    }
}
