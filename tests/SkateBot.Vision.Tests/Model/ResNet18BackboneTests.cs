using SkateBot.Vision.Model;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Model;

public sealed class ResNet18BackboneTests
{
    [Fact]
    public void Forward_Batch_Gives512FeaturesPerImage()
    {
        using var module = new ResNet18Backbone(ResNet18Geometry.Torchvision);
        module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var features = module.forward(randn(2, 3, 224, 224, generator: new Generator(5)));

        Assert.Equal([2L, ResNet18Backbone.FeatureCount], features.shape);
    }

    [Fact]
    public void Forward_NotThreeChannels_ThrowsArgumentException()
    {
        using var module = new ResNet18Backbone(ResNet18Geometry.Torchvision);
        using var scope = NewDisposeScope();

        Assert.Throws<ArgumentException>(() => module.forward(zeros(1, 1, 64, 64)));
    }

    [Fact]
    public void StateDict_UsesTorchvisionNames()
    {
        using var module = new ResNet18Backbone(ResNet18Geometry.Torchvision);

        var names = module.state_dict().Keys.ToHashSet();

        Assert.Contains("conv1.weight", names);
        Assert.Contains("bn1.running_var", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer4.1.bn2.bias", names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names);
        Assert.Equal(20, names.Count(n => n.EndsWith("conv1.weight") || n.EndsWith("conv2.weight") || n.EndsWith("downsample.0.weight")));
    }

    [Fact]
    public void ParameterGroups_SplitBodyInTwo_CoveringEveryParameterOnce()
    {
        using var module = new ResNet18Backbone(ResNet18Geometry.Torchvision);
        var named = module.named_parameters().ToList();

        var groups = module.ParameterGroups();

        Assert.Equal(2, groups.Count);
        var all = groups.SelectMany(g => g).ToList();
        Assert.Equal(named.Count, all.Count);
        Assert.Equal(named.Count, all.Distinct(ReferenceEqualityComparer.Instance).Count());
        var early = groups[0].ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var (name, parameter) in named)
        {
            bool shouldBeEarly = !name.StartsWith("layer3", StringComparison.Ordinal) && !name.StartsWith("layer4", StringComparison.Ordinal);
            Assert.True(shouldBeEarly == early.Contains(parameter), $"{name} is in the wrong group");
        }
    }

    [Fact]
    public void Geometry_WriteRead_RoundTrips()
    {
        var geometry = new ResNet18Geometry(
            [1, 2, 1, 3],
            Paths(false, [1, 2, 1, 3]).ToDictionary(p => p, p => new ConvGeometry(3, 1, new Padding2d(1, 1, p.Length % 2, 0))),
            Paths(true, [1, 2, 1, 3]).ToDictionary(p => p, p => 1e-3 + p.Length * 1e-6),
            new ConvGeometry(3, 2, new Padding2d(1, 0, 1, 0)));
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            geometry.WriteTo(writer);
        }

        stream.Position = 0;
        var read = ResNet18Geometry.ReadFrom(new BinaryReader(stream));

        Assert.Equal(geometry.BlocksPerLayer, read.BlocksPerLayer);
        Assert.Equal(geometry.Convs, read.Convs);
        Assert.Equal(geometry.Epsilons, read.Epsilons);
        Assert.Equal(geometry.MaxPool, read.MaxPool);
    }

    [Fact]
    public void Geometry_MissingLayer_ThrowsNamingIt()
    {
        var convs = ResNet18Geometry.Torchvision.Convs.Where(c => c.Key != "layer3.1.conv2").ToDictionary();

        var e = Assert.Throws<ArgumentException>(
            () => new ResNet18Geometry([2, 2, 2, 2], convs, ResNet18Geometry.Torchvision.Epsilons, ResNet18Geometry.Torchvision.MaxPool));

        Assert.Contains("layer3.1.conv2", e.Message);
    }

    private static IReadOnlyList<string> Paths(bool norms, int[] blocks) =>
        norms ? ResNet18Geometry.NormPathsFor(blocks) : ResNet18Geometry.ConvPathsFor(blocks);
}
