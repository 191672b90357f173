using SkateBot.Vision.Pretrained;

namespace SkateBot.Vision.Tests.Support;

/// <summary>
/// Imports the ImageNet body once per machine into a shared temp cache (later runs load the cache), so tests that train
/// do not each pay for the ONNX import.
/// </summary>
public sealed class PretrainedFixture
{
    public static readonly string ModelsDirectory = Path.Combine(Path.GetTempPath(), "skatebot-test-cache", "models");

    public PretrainedFixture()
    {
        using var imported = PretrainedBackbone.LoadOrImport(ModelsDirectory).Module;
    }
}

[CollectionDefinition(Name)]
public sealed class TrainingCollection : ICollectionFixture<PretrainedFixture>
{
    public const string Name = "training (shares the imported backbone, runs serially to keep 2 cores for one job)";
}
