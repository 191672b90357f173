using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using static TorchSharp.torch;

namespace SkateBot.Vision.Export;

/// <summary>
/// Writes a <see cref="SkateNet"/> in eval mode as an ONNX graph (opset 13) that takes exactly the TorchSharp model's
/// input, [N,3,S,S] planar RGB 0..1, and returns its logits [N,classes]; the batch dimension is symbolic.
/// <list type="bullet">
/// <item>The <see cref="InputConvention"/> is in the graph: Mul by the scale, Sub of the mean image; the BGR channel flip
/// is folded into conv1's weights (flipping the input channels of the conv is the same sum), with the mean image
/// stored in RGB order to match.</item>
/// <item>The body keeps its BatchNormalization nodes (running statistics, scale, shift, each layer's epsilon) and the
/// per-side pads of the imported geometry; ONNX Runtime fuses them into the convolutions when it loads the graph.</item>
/// <item>The head's two BatchNorm1d layers are folded (in double precision) into the Linear layers after them; Dropout
/// is the identity in eval mode.</item>
/// </list>
/// Bump <see cref="FormatTag"/> whenever the graph changes: it is part of the cache key.
/// </summary>
internal static class SkateNetOnnxExporter
{
    public const string FormatTag = "x1";
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const int Opset = 13;
    private const long IrVersion = 7;
    private static readonly string[] NormSlots = ["weight", "bias", "running_mean", "running_var"];

    /// <summary>The serialised ModelProto; <paramref name="metadata"/> lands in metadata_props.</summary>
    public static byte[] Export(SkateNet model, InputConvention convention, IReadOnlyDictionary<string, string>? metadata = null) =>
        Build(model.Body, model, convention, metadata);

    /// <summary>
    /// The body alone (input convention to the pooled features): its one output, named <see cref="OutputName"/> like the
    /// whole network's, is [N, 512]. The frozen phase of training forwards its views through this graph on ONNX Runtime.
    /// </summary>
    public static byte[] ExportBody(ResNet18Backbone body, InputConvention convention) => Build(body, null, convention, null);

    private static byte[] Build(ResNet18Backbone backbone, SkateNet? model, InputConvention convention, IReadOnlyDictionary<string, string>? metadata)
    {
        var body = StateOf(backbone);
        var head = model is null ? null : StateOf(model.Head);
        var geometry = backbone.Geometry;
        var size = convention.Size;
        var classes = model?.Head.OutputCount ?? ResNet18Backbone.FeatureCount;

        var initializers = new List<(string Name, long[] Dims, float[] Data)>();
        var nodes = new List<Action<OnnxProtoWriter>>();
        string Init(string name, long[] dims, float[] data) { initializers.Add((name, dims, data)); return name; }
        void Node(string op, string name, string[] inputs, string output, params OnnxAttr[] attributes) =>
            nodes.Add(w => OnnxProtoWriter.Node(w, op, name, inputs, [output], attributes));

        // Input convention: x * scale - mean, in RGB order (the flip moves into conv1).
        var mean = convention.MeanImage;
        if (convention.Bgr) mean = FlipChannels(mean, 1, 3, size * size);
        Node("Mul", "convention.scale", [InputName, Init("convention.scale", [1], [convention.Scale])], "scaled");
        Node("Sub", "convention.mean", ["scaled", Init("convention.mean", [1, 3, size, size], mean)], "prepared");

        string ConvNorm(string x, string convPath, string normPath)
        {
            var (dims, weight) = body[$"{convPath}.weight"];
            if (convPath == "conv1" && convention.Bgr) weight = FlipChannels(weight, dims[0], dims[1], dims[2] * dims[3]);
            var g = geometry.Conv(convPath);
            Node("Conv", convPath, [x, Init($"{convPath}.weight", dims, weight)], convPath,
                OnnxAttr.List("kernel_shape", g.Kernel, g.Kernel), OnnxAttr.List("strides", g.Stride, g.Stride),
                OnnxAttr.List("pads", g.Pads.Top, g.Pads.Left, g.Pads.Bottom, g.Pads.Right),
                OnnxAttr.List("dilations", 1, 1), OnnxAttr.Int("group", 1));
            var inputs = new List<string> { convPath };
            foreach (var slot in NormSlots)
            {
                var (d, v) = body[$"{normPath}.{slot}"];
                inputs.Add(Init($"{normPath}.{slot}", d, v));
            }
            Node("BatchNormalization", normPath, [.. inputs], normPath, OnnxAttr.Real("epsilon", (float)geometry.Epsilon(normPath)));
            return normPath;
        }

        string Relu(string x, string name) { Node("Relu", name, [x], name); return name; }

        var y = Relu(ConvNorm("prepared", "conv1", "bn1"), "relu");
        var pool = geometry.MaxPool;
        Node("MaxPool", "maxpool", [y], "maxpool",
            OnnxAttr.List("kernel_shape", pool.Kernel, pool.Kernel), OnnxAttr.List("strides", pool.Stride, pool.Stride),
            OnnxAttr.List("pads", pool.Pads.Top, pool.Pads.Left, pool.Pads.Bottom, pool.Pads.Right));
        y = "maxpool";
        for (var layer = 1; layer <= ResNet18Geometry.LayerCount; layer++)
        {
            for (var block = 0; block < geometry.BlocksPerLayer[layer - 1]; block++)
            {
                var path = $"layer{layer}.{block}";
                var shortcut = ResNet18Geometry.HasDownsample(path) ? ConvNorm(y, $"{path}.downsample.0", $"{path}.downsample.1") : y;
                var main = Relu(ConvNorm(y, $"{path}.conv1", $"{path}.bn1"), $"{path}.relu1");
                main = ConvNorm(main, $"{path}.conv2", $"{path}.bn2");
                Node("Add", $"{path}.add", [main, shortcut], $"{path}.add");
                y = Relu($"{path}.add", $"{path}.relu2");
            }
        }
        Node("GlobalAveragePool", "avgpool", [y], "avgpool");
        Node("Flatten", "features", ["avgpool"], head is null ? OutputName : "features", OnnxAttr.Int("axis", 1));

        // Head: BatchNorm1d folded into the Linear after it; Dropout is the identity in eval mode.
        void FoldedLinear(string x, string norm, string fc, string output)
        {
            var (w, b) = Fold(head!, norm, fc, ClassifierHead.NormEpsilon);
            var outFeatures = head[$"{fc}.weight"].Dims[0];
            var inFeatures = head[$"{fc}.weight"].Dims[1];
            Node("Gemm", fc, [x, Init($"head.{fc}.weight", [outFeatures, inFeatures], w), Init($"head.{fc}.bias", [outFeatures], b)], output,
                OnnxAttr.Int("transB", 1));
        }
        if (head is not null)
        {
            FoldedLinear("features", "layers.bn1", "layers.fc1", "head.fc1");
            Relu("head.fc1", "head.relu");
            FoldedLinear("head.relu", "layers.bn2", "layers.fc2", OutputName);
        }

        // The weights dominate the graph's size; both writers that hold them reserve it once (plus room for the nodes).
        var reserve = (int)Math.Min(int.MaxValue, initializers.Sum(i => 4L * i.Data.Length + 256) + (1 << 20));
        var graph = new OnnxProtoWriter(reserve);
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, "skatenet");
        foreach (var (name, dims, data) in initializers) graph.Message(5, t => OnnxProtoWriter.Tensor(t, name, dims, data));
        initializers.Clear();
        body.Clear();
        graph.Message(11, v => OnnxProtoWriter.FloatValueInfo(v, InputName, [null, 3, size, size]));
        graph.Message(12, v => OnnxProtoWriter.FloatValueInfo(v, OutputName, [null, classes]));

        var modelProto = new OnnxProtoWriter(reserve)
            .Int64(1, IrVersion)
            .String(2, "SkateBot")
            .String(3, FormatTag)
            .Message(7, graph)
            .Message(8, o => o.String(1, "").Int64(2, Opset));
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            modelProto.Message(14, p => p.String(1, key).String(2, value));
        return modelProto.ToArray();
    }

    /// <summary>Every parameter and buffer of <paramref name="module"/> by name, copied to the CPU as floats.</summary>
    internal static Dictionary<string, (long[] Dims, float[] Data)> StateOf(TorchSharp.torch.nn.Module module)
    {
        using var _ = no_grad();
        var state = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (var (name, tensor) in module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(module.named_buffers()))
        {
            if (tensor.dtype != ScalarType.Float32) continue; // num_batches_tracked (int64) has no part in eval mode
            using var cpu = tensor.detach().cpu().contiguous();
            state[name] = (tensor.shape, cpu.data<float>().ToArray());
        }
        return state;
    }

    /// <summary>The head's Linear <paramref name="fc"/> with the BatchNorm1d <paramref name="norm"/> before it folded in.</summary>
    internal static (float[] Weight, float[] Bias) FoldLinear(Dictionary<string, (long[] Dims, float[] Data)> head, string norm, string fc) =>
        Fold(head, norm, fc, ClassifierHead.NormEpsilon);

    /// <summary>
    /// Linear(BatchNorm1d(x)) as one Linear: BN(x) = a⊙x + c with a = γ/√(σ²+ε), c = β − μ·a, so
    /// W' = W·diag(a), b' = W·c + b.
    /// </summary>
    private static (float[] Weight, float[] Bias) Fold(Dictionary<string, (long[] Dims, float[] Data)> head, string norm, string fc, double eps)
    {
        var gamma = head[$"{norm}.weight"].Data;
        var beta = head[$"{norm}.bias"].Data;
        var mu = head[$"{norm}.running_mean"].Data;
        var variance = head[$"{norm}.running_var"].Data;
        var (dims, w) = head[$"{fc}.weight"];
        var b = head[$"{fc}.bias"].Data;
        int outF = (int)dims[0], inF = (int)dims[1];
        var a = new double[inF];
        var c = new double[inF];
        for (var i = 0; i < inF; i++)
        {
            a[i] = gamma[i] / Math.Sqrt(variance[i] + eps);
            c[i] = beta[i] - mu[i] * a[i];
        }
        var weight = new float[w.Length];
        var bias = new float[outF];
        for (var o = 0; o < outF; o++)
        {
            double sum = b[o];
            for (var i = 0; i < inF; i++)
            {
                weight[o * inF + i] = (float)(w[o * inF + i] * a[i]);
                sum += w[o * inF + i] * c[i];
            }
            bias[o] = (float)sum;
        }
        return (weight, bias);
    }

    /// <summary>Reverses the order of the 3 channels of a [outer, 3, inner] row-major array.</summary>
    internal static float[] FlipChannels(float[] data, long outer, long channels, long inner)
    {
        if (channels != 3) throw new ArgumentException($"expected 3 input channels, got {channels}");
        var flipped = new float[data.Length];
        for (long o = 0; o < outer; o++)
            for (long ch = 0; ch < channels; ch++)
                Array.Copy(data, (o * channels + ch) * inner, flipped, (o * channels + (channels - 1 - ch)) * inner, inner);
        return flipped;
    }
}
