using System.Diagnostics;
using SkateBot.Vision.Pretrained;

namespace SkateBot.Vision.Tests.Pretrained;

/// <summary>One ONNX import shared by the tests that only read the result (an import takes seconds on 2 cores).</summary>
public sealed class ImportedBackboneFixture : IDisposable
{
    public ImportedBackboneFixture()
    {
        var watch = Stopwatch.StartNew();
        Backbone = ResNet18Importer.Import(OnnxFiles.ResNet18, OnnxFiles.Preprocess);
        ImportTime = watch.Elapsed;
    }

    internal ImportedBackbone Backbone { get; }

    public TimeSpan ImportTime { get; }

    public void Dispose() => Backbone.Module.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ImportedBackboneCollection : ICollectionFixture<ImportedBackboneFixture>
{
    public const string Name = "imported ResNet18";
}
