using SkateBot.Testing.Paths;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Network;
using SkateBot.Vision.Pretrained;
using SkateBot.Vision.Tests.Support;
using TorchSharp;

namespace SkateBot.Vision.Tests.Checkpoints;

[Collection(TrainingCollection.Name)]
public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempDirectory dir = new("ckpt");
    private readonly string path;

    public CheckpointFileTests()
    {
        path = dir.Combine("m1" + CheckpointFile.Extension);
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        torch.manual_seed(5);
        using var model = new SkateNet(imported.Module, 2);
        CheckpointFile.Save(path, model, imported.Convention, new CheckpointInfo
        {
            Version = "m1", Classes = ["aggressive_skates", "inline_skates"], TrainingFingerprint = "abc",
            Metrics = new Dictionary<string, double> { ["valid_error_rate"] = 0.1 },
        });
    }

    public void Dispose() => dir.Dispose();

    private static float[] Input(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Fact]
    public void Load_AfterSave_GivesIdenticalOutputsAndInfo()
    {
        using var a = SkateClassifier.Load(path, torch.CPU);
        using var b = SkateClassifier.Load(path, torch.CPU);
        var inputs = new[] { Input(1), Input(2) };
        var ra = a.Classify(inputs);
        var rb = b.Classify(inputs);
        for (var i = 0; i < inputs.Length; i++)
            foreach (var c in a.Classes) Assert.Equal(ra[i].Probabilities[c], rb[i].Probabilities[c]);
        Assert.Equal("m1", a.Version);
        Assert.Equal(["aggressive_skates", "inline_skates"], a.Classes);
        Assert.Equal("abc", a.Info.TrainingFingerprint);
        Assert.Equal(0.1, a.Info.Metrics["valid_error_rate"]);
        Assert.False(string.IsNullOrEmpty(a.Info.InputConvention));
    }

    [Fact]
    public void Load_TruncatedFile_FailsWithClearMessage()
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, torch.CPU));
        Assert.Contains("truncated or corrupt", ex.Message);
    }

    [Fact]
    public void Load_FlippedByte_FailsWithClearMessage()
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 3] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("corrupt", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, torch.CPU)).Message);
    }

    [Fact]
    public void Load_NotACheckpoint_FailsWithClearMessage()
    {
        File.WriteAllText(path, "hello, I am a text file pretending to be a model");
        Assert.Contains("not a SkateBot checkpoint", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, torch.CPU)).Message);
    }

    [Fact]
    public void Load_OtherArchitecture_FailsNamingIt()
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var model = new SkateNet(imported.Module, 2);
        var other = dir.Combine("other" + CheckpointFile.Extension);
        CheckpointFile.Save(other, model, imported.Convention, new CheckpointInfo
        {
            Version = "x", Classes = ["a", "b"], TrainingFingerprint = "f", Architecture = "vgg16/v9",
        });
        Assert.Contains("vgg16/v9", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(other, torch.CPU)).Message);
    }

    [Fact]
    public void Load_WeightsOfAnotherShape_FailsWithClearMessage()
    {
        var imported = PretrainedBackbone.LoadOrImport(PretrainedFixture.ModelsDirectory);
        using var model = new SkateNet(imported.Module, 3); // three classes, but the info claims two
        var other = dir.Combine("shape" + CheckpointFile.Extension);
        CheckpointFile.Save(other, model, imported.Convention, new CheckpointInfo { Version = "s", Classes = ["a", "b"], TrainingFingerprint = "f" });
        Assert.Contains("do not fit", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(other, torch.CPU)).Message);
    }

    [Fact]
    public void Load_MissingFile_FailsWithClearMessage()
    {
        Assert.Contains("cannot be read", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(dir.Combine("nope.skmodel"), torch.CPU)).Message);
    }
}
