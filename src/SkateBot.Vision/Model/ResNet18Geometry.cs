using System.Collections.ObjectModel;

namespace SkateBot.Vision.Model;

/// <summary>
/// Window sizes, strides, per-side pads and BatchNorm epsilons of every layer of a ResNet18, keyed by the module
/// path ("conv1", "layer2.0.downsample.0", "layer3.1.bn2"). The importer fills it from the ONNX node attributes so
/// the TorchSharp module reproduces the exported network exactly. The CNTK export differs from torchvision: it pads
/// stride-2 layers asymmetrically and its layer4 has three blocks, not two (22 convolutions), hence
/// <see cref="BlocksPerLayer"/>.
/// </summary>
internal sealed class ResNet18Geometry
{
    public const int LayerCount = 4;
    private const uint Magic = 0x47523153; // "S1RG"
    private const int Version = 1;

    public ResNet18Geometry(
        IReadOnlyList<int> blocksPerLayer,
        IReadOnlyDictionary<string, ConvGeometry> convs,
        IReadOnlyDictionary<string, double> epsilons,
        ConvGeometry maxPool)
    {
        if (blocksPerLayer.Count != LayerCount || blocksPerLayer.Any(b => b is < 1 or > 64))
        {
            throw new ArgumentException($"expected {LayerCount} layers of 1..64 blocks, got [{string.Join(",", blocksPerLayer)}]");
        }

        BlocksPerLayer = [.. blocksPerLayer];
        ConvPaths = BuildPaths(BlocksPerLayer, norms: false);
        NormPaths = BuildPaths(BlocksPerLayer, norms: true);
        var missingConvs = ConvPaths.Where(p => !convs.ContainsKey(p)).ToList();
        var missingNorms = NormPaths.Where(p => !epsilons.ContainsKey(p)).ToList();
        var extra = convs.Keys.Except(ConvPaths).Concat(epsilons.Keys.Except(NormPaths)).ToList();
        if (missingConvs.Count + missingNorms.Count + extra.Count > 0)
        {
            throw new ArgumentException(
                $"ResNet18 geometry is incomplete: missing [{string.Join(", ", missingConvs.Concat(missingNorms))}], " +
                $"unknown [{string.Join(", ", extra)}]");
        }

        Convs = new ReadOnlyDictionary<string, ConvGeometry>(convs.ToDictionary());
        Epsilons = new ReadOnlyDictionary<string, double>(epsilons.ToDictionary());
        MaxPool = maxPool;
    }

    /// <summary>torchvision's ResNet18: 2 blocks per layer, symmetric pads, eps 1e-5. For a backbone that is not imported.</summary>
    public static ResNet18Geometry Torchvision { get; } = new(
        [2, 2, 2, 2],
        BuildPaths([2, 2, 2, 2], norms: false).ToDictionary(p => p, p => p switch
        {
            "conv1" => new ConvGeometry(7, 2, Padding2d.Symmetric(3)),
            _ when p.EndsWith("downsample.0", StringComparison.Ordinal) => new ConvGeometry(1, 2, Padding2d.Symmetric(0)),
            _ when p.EndsWith(".0.conv1", StringComparison.Ordinal) && !p.StartsWith("layer1", StringComparison.Ordinal)
                => new ConvGeometry(3, 2, Padding2d.Symmetric(1)),
            _ => new ConvGeometry(3, 1, Padding2d.Symmetric(1)),
        }),
        BuildPaths([2, 2, 2, 2], norms: true).ToDictionary(p => p, _ => 1e-5),
        new ConvGeometry(3, 2, Padding2d.Symmetric(1)));

    /// <summary>Basic blocks in layer1..layer4.</summary>
    public IReadOnlyList<int> BlocksPerLayer { get; }

    /// <summary>Every convolution's module path, stem first, in forward order.</summary>
    public IReadOnlyList<string> ConvPaths { get; }

    /// <summary>Every BatchNorm's module path, paired index by index with <see cref="ConvPaths"/>.</summary>
    public IReadOnlyList<string> NormPaths { get; }

    public IReadOnlyDictionary<string, ConvGeometry> Convs { get; }

    public IReadOnlyDictionary<string, double> Epsilons { get; }

    public ConvGeometry MaxPool { get; }

    public ConvGeometry Conv(string path) => Convs[path];

    /// <summary>The convolution paths a geometry with these block counts must cover.</summary>
    public static IReadOnlyList<string> ConvPathsFor(IReadOnlyList<int> blocksPerLayer) => BuildPaths(blocksPerLayer, norms: false);

    /// <summary>The BatchNorm paths a geometry with these block counts must cover.</summary>
    public static IReadOnlyList<string> NormPathsFor(IReadOnlyList<int> blocksPerLayer) => BuildPaths(blocksPerLayer, norms: true);

    public double Epsilon(string path) => Epsilons[path];

    /// <summary>Only the first block of layers 2-4 changes shape (stride 2, more channels) and needs a shortcut conv.</summary>
    public static bool HasDownsample(string blockPath) => blockPath is "layer2.0" or "layer3.0" or "layer4.0";

    /// <summary>Side of the last feature map for a square input of the given side (7 for 224 with either geometry).</summary>
    public long FinalFeatureSize(long inputSize)
    {
        long size = MaxPool.OutputSize(Conv("conv1").OutputSize(inputSize));
        foreach (var path in ConvPaths.Where(p => p.StartsWith("layer", StringComparison.Ordinal)))
        {
            // Only the main path changes the size; the shortcut must agree, which the module's add checks.
            if (!path.Contains("downsample", StringComparison.Ordinal))
            {
                size = Conv(path).OutputSize(size);
            }
        }

        return size;
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(Version);
        foreach (int blocks in BlocksPerLayer)
        {
            writer.Write(blocks);
        }

        foreach (var path in ConvPaths)
        {
            Write(writer, Convs[path]);
        }

        foreach (var path in NormPaths)
        {
            writer.Write(Epsilons[path]);
        }

        Write(writer, MaxPool);
    }

    public static ResNet18Geometry ReadFrom(BinaryReader reader)
    {
        try
        {
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
            {
                throw new InvalidDataException("not a ResNet18 geometry record (bad magic or version)");
            }

            var blocks = Enumerable.Range(0, LayerCount).Select(_ => reader.ReadInt32()).ToArray();
            if (blocks.Any(b => b is < 1 or > 64))
            {
                throw new InvalidDataException($"ResNet18 geometry record holds impossible block counts [{string.Join(",", blocks)}]");
            }

            var convs = BuildPaths(blocks, norms: false).ToDictionary(p => p, _ => Read(reader));
            var epsilons = BuildPaths(blocks, norms: true).ToDictionary(p => p, _ => CheckEpsilon(reader.ReadDouble()));
            return new ResNet18Geometry(blocks, convs, epsilons, Read(reader));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("ResNet18 geometry record is truncated", e);
        }
    }

    private static void Write(BinaryWriter writer, ConvGeometry g)
    {
        foreach (int value in new[] { g.Kernel, g.Stride, g.Pads.Top, g.Pads.Left, g.Pads.Bottom, g.Pads.Right })
        {
            writer.Write(value);
        }
    }

    private static ConvGeometry Read(BinaryReader reader)
    {
        var v = Enumerable.Range(0, 6).Select(_ => reader.ReadInt32()).ToArray();
        if (v[0] is < 1 or > 15 || v[1] is < 1 or > 15 || v[2..].Any(p => p is < 0 or > 15))
        {
            throw new InvalidDataException($"ResNet18 geometry record holds an impossible window [{string.Join(",", v)}]");
        }

        return new ConvGeometry(v[0], v[1], new Padding2d(v[2], v[3], v[4], v[5]));
    }

    private static double CheckEpsilon(double eps) => eps is > 0 and < 1
        ? eps
        : throw new InvalidDataException($"ResNet18 geometry record holds an impossible BatchNorm epsilon {eps}");

    private static List<string> BuildPaths(IReadOnlyList<int> blocksPerLayer, bool norms)
    {
        var paths = new List<string> { norms ? "bn1" : "conv1" };
        for (int layer = 1; layer <= LayerCount; layer++)
        {
            for (int block = 0; block < blocksPerLayer[layer - 1]; block++)
            {
                string b = $"layer{layer}.{block}";
                paths.Add(norms ? $"{b}.bn1" : $"{b}.conv1");
                paths.Add(norms ? $"{b}.bn2" : $"{b}.conv2");
                if (layer > 1 && block == 0)
                {
                    paths.Add(norms ? $"{b}.downsample.1" : $"{b}.downsample.0");
                }
            }
        }

        return paths;
    }
}
