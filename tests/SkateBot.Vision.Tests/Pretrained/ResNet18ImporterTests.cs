using SkateBot.Vision.Model;
using SkateBot.Vision.Pretrained;

namespace SkateBot.Vision.Tests.Pretrained;

[Collection(ImportedBackboneCollection.Name)]
public sealed class ResNet18ImporterTests(ImportedBackboneFixture fixture) : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("skatebot-import-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Import_CntkExport_ReadsGeometryFromNodeAttributes()
    {
        var geometry = fixture.Backbone.Module.Geometry;

        // Facts of this particular export (see ../shared/PLATFORM.md): asymmetric pads and a 3-block layer4.
        Assert.Equal([2, 2, 2, 3], geometry.BlocksPerLayer);
        Assert.Equal(new ConvGeometry(7, 2, new Padding2d(3, 3, 2, 2)), geometry.Conv("conv1"));
        Assert.Equal(new ConvGeometry(3, 2, new Padding2d(1, 1, 0, 0)), geometry.Conv("layer3.0.conv1"));
        Assert.Equal(new ConvGeometry(3, 2, new Padding2d(1, 1, 0, 0)), geometry.MaxPool);
        Assert.Equal(1e-5, geometry.Epsilon("layer4.2.bn2"), 1e-9);
        Assert.Equal(7, geometry.FinalFeatureSize(224));
    }

    [Fact]
    public void Import_PreprocessModel_GivesBgrMeanImageConvention()
    {
        var convention = fixture.Backbone.Convention;

        Assert.Equal("bgr-0-255-minus-meanimage", convention.Name);
        Assert.True(convention.Bgr);
        Assert.Equal(255f, convention.Scale);
        Assert.Equal(224, convention.Size);
        var mean = convention.MeanImage;
        Assert.Equal(3 * 224 * 224, mean.Length);
        Assert.InRange(mean.Average(), 60f, 180f); // an ImageNet mean image in 0..255, not zeros
    }

    [Fact]
    public void Import_MissingFile_NamesThePackage()
    {
        var e = Assert.Throws<FileNotFoundException>(
            () => ResNet18Importer.Import(Path.Combine(temp, "ResNet18.onnx"), OnnxFiles.Preprocess));

        Assert.Contains(ResNet18Importer.PackageName, e.Message);
        Assert.Contains("ResNet18.onnx", e.Message);
    }

    [Fact]
    public void Import_GarbageFile_ThrowsOnnxFormatException()
    {
        string path = Path.Combine(temp, "garbage.onnx");
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<OnnxFormatException>(() => ResNet18Importer.Import(path, OnnxFiles.Preprocess));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Import_TruncatedFile_ThrowsOnnxFormatException()
    {
        string path = Path.Combine(temp, "truncated.onnx");
        using (var source = File.OpenRead(OnnxFiles.ResNet18))
        using (var target = File.Create(path))
        {
            var head = new byte[2_000_000];
            source.ReadExactly(head);
            target.Write(head);
        }

        var e = Assert.Throws<OnnxFormatException>(() => ResNet18Importer.Import(path, OnnxFiles.Preprocess));

        Assert.Contains("truncated", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Import_ModelThatIsNotAResNet_SaysWhichNodeBrokeThePattern()
    {
        // The preprocess model is valid ONNX but has no Conv after its input.
        var e = Assert.Throws<OnnxFormatException>(() => ResNet18Importer.Import(OnnxFiles.Preprocess, OnnxFiles.Preprocess));

        Assert.Contains("expected one Conv node reading 'OriginalInput'", e.Message);
    }
}
