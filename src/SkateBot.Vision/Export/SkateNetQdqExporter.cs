using System.Runtime.InteropServices;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using static TorchSharp.torch;

namespace SkateBot.Vision.Export;

/// <summary>
/// The int8 variant of <see cref="SkateNetOnnxExporter"/> (<c>Model:Precision=int8</c>): the body's BatchNorms folded into its
/// convolutions, then either a float graph that also outputs every activation a quantized graph would quantize (for
/// calibration), or the QDQ graph (QuantizeLinear/DequantizeLinear around each activation, per-channel int8 weights,
/// int32 biases) that ONNX Runtime turns into QLinearConv/QLinearAdd with u8s8 kernels. The head stays float.
/// </summary>
internal static class SkateNetQdqExporter
{
    /// <summary>Part of the export cache's file name; bump it whenever the graph changes (q2: 7-bit weights).</summary>
    public const string FormatTag = "q2";

    /// <summary>
    /// The largest quantized weight: 7 bits, not 8. ONNX Runtime's u8s8 kernels on x86 CPUs without VNNI (AVX2, AVX-512
    /// before Cascade Lake, AMD before Zen 4) add two u8 × s8 products in 16 bits (<c>vpmaddubsw</c>), which saturates
    /// beyond 32767: with weights up to 127 the same model answered differently there (a studio photo at 98.3 % on AVX2
    /// where it was 99.8 % on a VNNI CPU; README "Performance"). 2 × 255 × 63 = 32130 never saturates, so every x86 CPU
    /// computes the same integers.
    /// </summary>
    internal const int MaxWeightLevel = 63;

    /// <summary>The float graph (BatchNorms folded) and the names of the activations it outputs besides the logits.</summary>
    public static (byte[] Graph, IReadOnlyList<string> Activations) Calibration(SkateNet model, InputConvention convention)
    {
        var activations = new List<string>();
        var graph = Build(model.Body, model, convention, null, activations);
        return (graph, activations);
    }

    /// <summary>The QDQ graph from activation ranges measured on the <see cref="Calibration"/> graph.</summary>
    public static byte[] Quantized(SkateNet model, InputConvention convention, IReadOnlyDictionary<string, float[]> ranges) =>
        Build(model.Body, model, convention, ranges, []);

    /// <summary>
    /// The body alone, quantized (input to the pooled features, output named <see cref="SkateNetOnnxExporter.OutputName"/>
    /// as in <see cref="SkateNetOnnxExporter.ExportBody"/>): what the frozen phase forwards when
    /// <see cref="Training.FineTuneOptions.Int8BodyFeatures"/> gives it a calibrated body.
    /// </summary>
    public static byte[] QuantizedBody(ResNet18Backbone body, InputConvention convention, IReadOnlyDictionary<string, float[]> ranges) =>
        Build(body, null, convention, ranges, []);

    /// <summary>Per-output-channel symmetric quantization of a convolution's weights (<paramref name="outputs"/> rows of
    /// equal length) to ±<see cref="MaxWeightLevel"/>, with each row's scale.</summary>
    internal static (sbyte[] Weights, float[] Scales) QuantizeWeights(float[] weights, int outputs)
    {
        if (outputs <= 0 || weights.Length % outputs != 0) throw new ArgumentException($"{weights.Length} weights do not split into {outputs} rows.", nameof(weights));
        var per = weights.Length / outputs;
        var q = new sbyte[weights.Length];
        var scales = new float[outputs];
        for (var o = 0; o < outputs; o++)
        {
            var maxAbs = 1e-12f;
            for (var i = 0; i < per; i++) maxAbs = Math.Max(maxAbs, Math.Abs(weights[o * per + i]));
            scales[o] = maxAbs / MaxWeightLevel;
            for (var i = 0; i < per; i++) q[o * per + i] = (sbyte)Math.Clamp(Math.Round(weights[o * per + i] / scales[o]), -MaxWeightLevel, MaxWeightLevel);
        }
        return (q, scales);
    }

    private static byte[] Build(ResNet18Backbone bodyModule, SkateNet? model, InputConvention convention, IReadOnlyDictionary<string, float[]>? ranges,
        List<string> activations)
    {
        var body = SkateNetOnnxExporter.StateOf(bodyModule);
        var head = model is null ? null : SkateNetOnnxExporter.StateOf(model.Head);
        var geometry = bodyModule.Geometry;
        var size = convention.Size;
        var classes = model?.Head.OutputCount ?? ResNet18Backbone.FeatureCount;
        var quantize = ranges is not null;

        var inits = new List<Action<OnnxProtoWriter>>();
        var nodes = new List<Action<OnnxProtoWriter>>();
        string FloatInit(string name, long[] dims, float[] data) { inits.Add(w => OnnxProtoWriter.Tensor(w, name, dims, data)); return name; }
        string RawInit<T>(string name, long[] dims, int type, T[] data) where T : struct
        {
            inits.Add(w => OnnxProtoWriter.RawTensor(w, name, dims, type, MemoryMarshal.AsBytes(data.AsSpan())));
            return name;
        }
        void Node(string op, string name, string[] inputs, string output, params OnnxAttr[] attributes) =>
            nodes.Add(w => OnnxProtoWriter.Node(w, op, name, inputs, [output], attributes));

        var scales = new Dictionary<string, (float Scale, byte Zero)>();
        // An activation: in the float graph an extra output; in the QDQ graph Q then DQ, consumers reading the DQ output.
        string Activation(string tensor, string? sameAs = null)
        {
            if (!quantize)
            {
                activations.Add(tensor);
                return tensor;
            }
            var range = ranges!.TryGetValue(sameAs ?? tensor, out var r) && r.Length == 2 && float.IsFinite(r[0]) && float.IsFinite(r[1])
                ? r : throw new ArgumentException($"no calibration range for activation '{sameAs ?? tensor}'");
            var min = Math.Min(range[0], 0);
            var max = Math.Max(range[1], 1e-6f);
            var scale = (max - min) / 255f;
            var zero = (byte)Math.Clamp(Math.Round(-min / scale), 0, 255);
            scales[tensor] = (scale, zero);
            var s = FloatInit($"{tensor}.qs", [], [scale]);
            var z = RawInit($"{tensor}.qz", [], OnnxProtoWriter.Uint8, new[] { zero });
            Node("QuantizeLinear", $"{tensor}.q", [tensor, s, z], $"{tensor}.quant");
            Node("DequantizeLinear", $"{tensor}.dq", [$"{tensor}.quant", s, z], $"{tensor}.deq");
            return $"{tensor}.deq";
        }

        var mean = convention.MeanImage;
        if (convention.Bgr) mean = SkateNetOnnxExporter.FlipChannels(mean, 1, 3, size * size);
        Node("Mul", "convention.scale", [SkateNetOnnxExporter.InputName, FloatInit("convention.scale", [1], [convention.Scale])], "scaled");
        Node("Sub", "convention.mean", ["scaled", FloatInit("convention.mean", [1, 3, size, size], mean)], "prepared");
        var prepared = Activation("prepared");

        // Conv with its BatchNorm folded: w' = w·γ/√(σ²+ε) per output channel, b' = β − μ·γ/√(σ²+ε).
        string Conv(string x, string xTensor, string convPath, string normPath, string output)
        {
            var (dims, weight) = body[$"{convPath}.weight"];
            if (convPath == "conv1" && convention.Bgr) weight = SkateNetOnnxExporter.FlipChannels(weight, dims[0], dims[1], dims[2] * dims[3]);
            var gamma = body[$"{normPath}.weight"].Data;
            var beta = body[$"{normPath}.bias"].Data;
            var mu = body[$"{normPath}.running_mean"].Data;
            var variance = body[$"{normPath}.running_var"].Data;
            var eps = geometry.Epsilon(normPath);
            var outC = (int)dims[0];
            var per = weight.Length / outC;
            var w = new float[weight.Length];
            var b = new float[outC];
            for (var o = 0; o < outC; o++)
            {
                var a = gamma[o] / Math.Sqrt(variance[o] + eps);
                for (var i = 0; i < per; i++) w[o * per + i] = (float)(weight[o * per + i] * a);
                b[o] = (float)(beta[o] - mu[o] * a);
            }
            string wName, bName;
            if (!quantize)
            {
                wName = FloatInit($"{convPath}.w", dims, w);
                bName = FloatInit($"{convPath}.b", [outC], b);
            }
            else
            {
                var inputScale = scales[xTensor].Scale;
                var (qw, ws) = QuantizeWeights(w, outC);
                var qb = new int[outC];
                var bs = new float[outC];
                for (var o = 0; o < outC; o++)
                {
                    bs[o] = inputScale * ws[o];
                    qb[o] = (int)Math.Round(b[o] / bs[o]);
                }
                var axis = OnnxAttr.Int("axis", 0);
                Node("DequantizeLinear", $"{convPath}.wdq", [RawInit($"{convPath}.wq", dims, OnnxProtoWriter.Int8, qw), FloatInit($"{convPath}.ws", [outC], ws),
                    RawInit($"{convPath}.wz", [outC], OnnxProtoWriter.Int8, new sbyte[outC])], $"{convPath}.w", axis);
                Node("DequantizeLinear", $"{convPath}.bdq", [RawInit($"{convPath}.bq", [outC], OnnxProtoWriter.Int32, qb), FloatInit($"{convPath}.bs", [outC], bs),
                    RawInit($"{convPath}.bz", [outC], OnnxProtoWriter.Int32, new int[outC])], $"{convPath}.b", axis);
                wName = $"{convPath}.w";
                bName = $"{convPath}.b";
            }
            var g = geometry.Conv(convPath);
            Node("Conv", convPath, [x, wName, bName], output,
                OnnxAttr.List("kernel_shape", g.Kernel, g.Kernel), OnnxAttr.List("strides", g.Stride, g.Stride),
                OnnxAttr.List("pads", g.Pads.Top, g.Pads.Left, g.Pads.Bottom, g.Pads.Right),
                OnnxAttr.List("dilations", 1, 1), OnnxAttr.Int("group", 1));
            return output;
        }

        Conv(prepared, "prepared", "conv1", "bn1", "conv1.out");
        Node("Relu", "relu", ["conv1.out"], "relu");
        var y = Activation("relu");
        var pool = geometry.MaxPool;
        Node("MaxPool", "maxpool", [y], "maxpool",
            OnnxAttr.List("kernel_shape", pool.Kernel, pool.Kernel), OnnxAttr.List("strides", pool.Stride, pool.Stride),
            OnnxAttr.List("pads", pool.Pads.Top, pool.Pads.Left, pool.Pads.Bottom, pool.Pads.Right));
        y = Activation("maxpool", sameAs: quantize ? "relu" : null);
        var yTensor = "maxpool";
        for (var layer = 1; layer <= ResNet18Geometry.LayerCount; layer++)
        {
            for (var block = 0; block < geometry.BlocksPerLayer[layer - 1]; block++)
            {
                var path = $"layer{layer}.{block}";
                string shortcut;
                if (ResNet18Geometry.HasDownsample(path))
                {
                    Conv(y, yTensor, $"{path}.downsample.0", $"{path}.downsample.1", $"{path}.downsample");
                    shortcut = Activation($"{path}.downsample");
                }
                else shortcut = y;
                Conv(y, yTensor, $"{path}.conv1", $"{path}.bn1", $"{path}.conv1.out");
                Node("Relu", $"{path}.relu1", [$"{path}.conv1.out"], $"{path}.relu1");
                var main = Activation($"{path}.relu1");
                Conv(main, $"{path}.relu1", $"{path}.conv2", $"{path}.bn2", $"{path}.conv2");
                main = Activation($"{path}.conv2");
                Node("Add", $"{path}.add", [main, shortcut], $"{path}.add");
                Node("Relu", $"{path}.relu2", [$"{path}.add"], $"{path}.relu2");
                y = Activation($"{path}.relu2");
                yTensor = $"{path}.relu2";
            }
        }
        Node("GlobalAveragePool", "avgpool", [y], "avgpool");
        Node("Flatten", "features", ["avgpool"], head is null ? SkateNetOnnxExporter.OutputName : "features", OnnxAttr.Int("axis", 1));
        if (head is not null)
        {
            void FoldedLinear(string x, string norm, string fc, string output)
            {
                var (w, b) = SkateNetOnnxExporter.FoldLinear(head, norm, fc);
                var dims = head[$"{fc}.weight"].Dims;
                Node("Gemm", fc, [x, FloatInit($"head.{fc}.weight", dims, w), FloatInit($"head.{fc}.bias", [dims[0]], b)], output, OnnxAttr.Int("transB", 1));
            }
            FoldedLinear("features", "layers.bn1", "layers.fc1", "head.fc1");
            Node("Relu", "head.relu", ["head.fc1"], "head.relu");
            FoldedLinear("head.relu", "layers.bn2", "layers.fc2", SkateNetOnnxExporter.OutputName);
        }

        var graph = new OnnxProtoWriter();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, quantize ? "skatenet-qdq" : "skatenet-calibration");
        foreach (var init in inits) graph.Message(5, init);
        graph.Message(11, v => OnnxProtoWriter.FloatValueInfo(v, SkateNetOnnxExporter.InputName, [null, 3, size, size]));
        graph.Message(12, v => OnnxProtoWriter.FloatValueInfo(v, SkateNetOnnxExporter.OutputName, [null, classes]));
        foreach (var a in activations) graph.Message(12, v => OnnxProtoWriter.FloatValueInfo(v, a, [null, null, null, null]));
        return new OnnxProtoWriter()
            .Int64(1, 7).String(2, "SkateBot").String(3, "qdq-what-if")
            .Message(7, graph)
            .Message(8, o => o.String(1, "").Int64(2, SkateNetOnnxExporter.Opset))
            .ToArray();
    }
}
