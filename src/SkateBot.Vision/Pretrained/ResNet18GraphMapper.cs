using SkateBot.Vision.Model;

namespace SkateBot.Vision.Pretrained;

/// <summary>The ONNX nodes behind each module path, found by following the data flow (not node order).</summary>
internal sealed record MappedResNet18(
    ResNet18Geometry Geometry,
    IReadOnlyDictionary<string, OnnxNode> Convs,
    IReadOnlyDictionary<string, OnnxNode> Norms,
    long InputSize);

/// <summary>
/// Walks an exported ResNet18 graph from its input: stem (Conv, BN, Relu, MaxPool), four layers of basic blocks
/// (Conv-BN-Relu-Conv-BN, Add with the identity or a 1x1 Conv-BN shortcut, Relu), then AveragePool. Anything else
/// is rejected with the node that broke the pattern, so a different export fails loudly instead of loading garbage.
/// </summary>
internal sealed class ResNet18GraphMapper
{
    private readonly OnnxModel model;
    private readonly ILookup<string, OnnxNode> consumers;
    private readonly HashSet<OnnxNode> visited = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, ConvGeometry> windows = [];
    private readonly Dictionary<string, double> epsilons = [];
    private readonly Dictionary<string, OnnxNode> convs = [];
    private readonly Dictionary<string, OnnxNode> norms = [];

    private ResNet18GraphMapper(OnnxModel model)
    {
        this.model = model;
        consumers = model.Nodes.SelectMany(n => n.Inputs.Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);
    }

    public static MappedResNet18 Map(OnnxModel model) => new ResNet18GraphMapper(model).Walk();

    private MappedResNet18 Walk()
    {
        var inputs = model.Inputs.Where(i => !model.Initializers.ContainsKey(i.Name)).ToList();
        if (inputs is not [{ Shape: [_, 3, long h, long w] } input] || h != w)
        {
            throw new OnnxFormatException(
                "expected one square [N,3,S,S] image input, found " +
                $"[{string.Join("; ", inputs.Select(i => $"{i.Name} [{string.Join(",", i.Shape)}]"))}]");
        }

        long size = h;
        string x = ConvNorm(Consumer(input.Name, "Conv", "stem"), "conv1", "bn1", ref size);
        x = Consumer(x, "Relu", "stem").Outputs[0];
        var pool = Consumer(x, "MaxPool", "stem");
        var maxPool = OnnxWindow.Read(pool, size);
        size = maxPool.OutputSize(size);
        x = pool.Outputs[0];

        // A new layer starts at each block with a shortcut conv; the blocks end where the AveragePool reads.
        var blocks = new List<int> { 0 };
        while (!consumers[x].Any(n => n.OpType == "AveragePool"))
        {
            bool downsample = consumers[x].Count(n => n.OpType == "Conv") == 2;
            if (downsample)
            {
                blocks.Add(0);
            }

            if (blocks.Count > ResNet18Geometry.LayerCount || (blocks.Count == 1 && downsample))
            {
                throw new OnnxFormatException(
                    $"block after '{x}' does not fit {ResNet18Geometry.LayerCount} layers with shortcut convs opening layers 2-4");
            }

            x = Block($"layer{blocks.Count}.{blocks[^1]}", x, ref size);
            blocks[^1]++;
        }

        if (blocks.Count != ResNet18Geometry.LayerCount)
        {
            throw new OnnxFormatException($"found {blocks.Count} layers of basic blocks, expected {ResNet18Geometry.LayerCount}");
        }

        var average = Consumer(x, "AveragePool", "head");
        var window = OnnxWindow.Read(average, size);
        if (window.Kernel != size || window.Pads != Padding2d.Symmetric(0) || !model.Outputs.Any(o => o.Name == average.Outputs[0]))
        {
            throw new OnnxFormatException(
                $"AveragePool '{average.Name}' ({window}) is not a global average over the {size}x{size} map feeding the graph output");
        }

        var unmapped = model.Nodes.Where(n => !visited.Contains(n)).Select(n => $"{n.OpType} '{n.Name}'").ToList();
        if (unmapped.Count > 0)
        {
            throw new OnnxFormatException($"nodes outside the ResNet18 pattern: {string.Join(", ", unmapped)}");
        }

        return new MappedResNet18(new ResNet18Geometry(blocks, windows, epsilons, maxPool), convs, norms, h);
    }

    private string Block(string path, string x, ref long size)
    {
        var branches = consumers[x].Where(n => n.OpType == "Conv").ToList();
        bool downsample = ResNet18Geometry.HasDownsample(path);
        if (branches.Count != (downsample ? 2 : 1))
        {
            throw new OnnxFormatException(
                $"{path}: expected {(downsample ? 2 : 1)} Conv node(s) reading '{x}', found {branches.Count}");
        }

        var shortcutConv = downsample ? branches.SingleOrDefault(n => n.Attribute("kernel_shape")?.Ints is [1, 1]) : null;
        if (downsample && shortcutConv is null)
        {
            throw new OnnxFormatException($"{path}: no 1x1 shortcut Conv among the nodes reading '{x}'");
        }

        long inputSize = size;
        string y = ConvNorm(branches.Single(n => n != shortcutConv), $"{path}.conv1", $"{path}.bn1", ref size);
        y = Consumer(y, "Relu", path).Outputs[0];
        y = ConvNorm(Consumer(y, "Conv", path), $"{path}.conv2", $"{path}.bn2", ref size);
        string skip = x;
        if (shortcutConv is not null)
        {
            long shortcutSize = inputSize;
            skip = ConvNorm(shortcutConv, $"{path}.downsample.0", $"{path}.downsample.1", ref shortcutSize);
            if (shortcutSize != size)
            {
                throw new OnnxFormatException($"{path}: shortcut map is {shortcutSize} wide but the main path's is {size}");
            }
        }

        var add = Consumer(y, "Add", path);
        if (add.Inputs.Count != 2 || !add.Inputs.Contains(skip) || !add.Inputs.Contains(y))
        {
            throw new OnnxFormatException($"{path}: Add '{add.Name}' does not sum '{y}' and the shortcut '{skip}'");
        }

        Visit(add);
        return Consumer(add.Outputs[0], "Relu", path).Outputs[0];
    }

    private string ConvNorm(OnnxNode conv, string convPath, string normPath, ref long size)
    {
        Visit(conv);
        if (conv.Inputs.Count is < 2 or > 3 || (conv.Inputs.Count == 3 && conv.Inputs[2].Length > 0))
        {
            throw new OnnxFormatException($"{convPath}: Conv '{conv.Name}' must have a weight and no bias");
        }

        int? kernel = model.Initializers.TryGetValue(conv.Inputs[1], out var weight) && weight.Dims.Count == 4
            ? (int)weight.Dims[3]
            : null;
        windows[convPath] = OnnxWindow.Read(conv, size, kernel);
        size = windows[convPath].OutputSize(size);
        convs[convPath] = conv;

        var norm = Consumer(conv.Outputs[0], "BatchNormalization", convPath);
        if (norm.Inputs.Count != 5 || norm.Attribute("spatial")?.I is 0)
        {
            throw new OnnxFormatException($"{normPath}: BatchNormalization '{norm.Name}' must be spatial with scale, bias, mean, var");
        }

        // ONNX default epsilon is 1e-5 (https://onnx.ai/onnx/operators/onnx__BatchNormalization.html).
        epsilons[normPath] = norm.Attribute("epsilon")?.F ?? 1e-5f;
        norms[normPath] = norm;
        return norm.Outputs[0];
    }

    private OnnxNode Consumer(string tensor, string opType, string where)
    {
        var all = consumers[tensor].ToList();
        var matches = all.Where(n => n.OpType == opType).ToList();
        if (matches.Count != 1)
        {
            throw new OnnxFormatException(
                $"{where}: expected one {opType} node reading '{tensor}', found [{string.Join(", ", all.Select(n => $"{n.OpType} '{n.Name}'"))}]");
        }

        return Visit(matches[0]);
    }

    private OnnxNode Visit(OnnxNode node)
    {
        visited.Add(node);
        return node;
    }
}
