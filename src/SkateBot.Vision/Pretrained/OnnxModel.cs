namespace SkateBot.Vision.Pretrained;

/// <summary>The parts of an ONNX ModelProto the importer needs (see onnx/onnx.proto3 for the field numbers).</summary>
internal sealed record OnnxModel(
    string ProducerName,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyDictionary<string, OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs);

internal sealed record OnnxNode(
    string Name,
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public OnnxAttribute? Attribute(string name) => Attributes.GetValueOrDefault(name);
}

/// <summary>One attribute; only the kinds the ResNet export uses (f, i, s, t, floats, ints) are kept.</summary>
internal sealed record OnnxAttribute(
    string Name,
    float? F,
    long? I,
    string? S,
    OnnxTensor? T,
    IReadOnlyList<float> Floats,
    IReadOnlyList<long> Ints);

/// <summary>A float tensor (ONNX data_type 1); other element types are rejected by the reader.</summary>
internal sealed record OnnxTensor(string Name, IReadOnlyList<long> Dims, float[] Data)
{
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);
}

/// <summary>A graph input or output; a dimension is null when it is symbolic (dim_param) or missing.</summary>
internal sealed record OnnxValueInfo(string Name, int ElementType, IReadOnlyList<long?> Shape);

internal sealed class OnnxFormatException(string message, Exception? inner = null) : Exception(message, inner);
