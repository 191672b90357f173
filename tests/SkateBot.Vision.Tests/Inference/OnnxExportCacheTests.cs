using SkateBot.Testing.Paths;
using SkateBot.Vision.Export;

namespace SkateBot.Vision.Tests.Inference;

public sealed class OnnxExportCacheTests
{
    [Fact]
    public void Write_KeepsTheOtherPrecisionsExport_AndDropsStaleOnes()
    {
        // The service may serve int8 while `predict` runs float on the same checkpoint: each writing its export must not
        // delete the other's (both would export again at every load), while an older checkpoint's or exporter's goes.
        using var dir = new TempDirectory("export-cache");
        var checkpoint = dir.Combine("v1.skmodel");
        File.WriteAllText(checkpoint, "weights");
        const string hash = "0123456789abcdef0123456789abcdef", older = "fedcba9876543210fedcba9876543210";
        var oldHash = OnnxExportCache.PathFor(checkpoint, older);
        var oldFormat = $"{checkpoint}.x0-{hash[..16]}.onnx";
        File.WriteAllText(oldHash, "old");
        File.WriteAllText(oldFormat, "old");

        OnnxExportCache.Write(checkpoint, hash, [1, 2, 3]);
        OnnxExportCache.Write(checkpoint, hash, [4, 5], SkateNetQdqExporter.FormatTag);

        Assert.Equal(new byte[] { 1, 2, 3 }, OnnxExportCache.TryRead(checkpoint, hash));
        Assert.Equal(new byte[] { 4, 5 }, OnnxExportCache.TryRead(checkpoint, hash, SkateNetQdqExporter.FormatTag));
        Assert.False(File.Exists(oldHash), "the export of an older checkpoint content stays");
        Assert.False(File.Exists(oldFormat), "an older exporter's graph stays");
    }
}
