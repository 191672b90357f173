using System.Runtime.InteropServices;
using Google.Protobuf;

namespace SkateBot.Vision.Pretrained;

/// <summary>
/// Reads the subset of an ONNX ModelProto the importer needs, straight from the protobuf wire format
/// (no generated code). Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3.
/// </summary>
internal static class OnnxModelReader
{
    private const int FloatType = 1;

    public static OnnxModel Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model not found: {path}", path);
        }

        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (OnnxFormatException e)
        {
            throw new OnnxFormatException($"{path} is not a readable ONNX model: {e.Message}", e);
        }
    }

    public static OnnxModel Read(byte[] bytes)
    {
        try
        {
            string producer = "";
            OnnxModel? graph = null;
            foreach (var (field, value) in Fields(bytes))
            {
                if (field == 2) producer = value.String();
                else if (field == 7) graph = ReadGraph(value.Bytes(), producer);
            }

            return (graph ?? throw new OnnxFormatException("the model has no graph (field 7)")) with { ProducerName = producer };
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"corrupt protobuf data ({e.Message})", e);
        }
    }

    private static OnnxModel ReadGraph(ReadOnlyMemory<byte> bytes, string producer)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1: nodes.Add(ReadNode(value.Bytes())); break;
                case 5:
                    var tensor = ReadTensor(value.Bytes());
                    if (!initializers.TryAdd(tensor.Name, tensor))
                    {
                        throw new OnnxFormatException($"initializer '{tensor.Name}' appears twice");
                    }
                    break;
                case 11: inputs.Add(ReadValueInfo(value.Bytes())); break;
                case 12: outputs.Add(ReadValueInfo(value.Bytes())); break;
            }
        }

        return new OnnxModel(producer, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ReadOnlyMemory<byte> bytes)
    {
        string name = "", op = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1: inputs.Add(value.String()); break;
                case 2: outputs.Add(value.String()); break;
                case 3: name = value.String(); break;
                case 4: op = value.String(); break;
                case 5:
                    var attribute = ReadAttribute(value.Bytes());
                    attributes[attribute.Name] = attribute;
                    break;
            }
        }

        return new OnnxNode(name, op, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        float? f = null;
        long? i = null;
        string? s = null;
        OnnxTensor? t = null;
        var floats = new List<float>();
        var ints = new List<long>();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1: name = value.String(); break;
                case 2: f = value.Float(); break;
                case 3: i = value.Int64(); break;
                case 4: s = value.String(); break;
                case 5: t = ReadTensor(value.Bytes()); break;
                case 7: value.AddFloats(floats); break;
                case 8: value.AddInt64s(ints); break;
            }
        }

        return new OnnxAttribute(name, f, i, s, t, floats, ints);
    }

    private static OnnxTensor ReadTensor(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        int dataType = 0;
        var dims = new List<long>();
        var floats = new List<float>();
        ReadOnlyMemory<byte>? raw = null;
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1: value.AddInt64s(dims); break;
                case 2: dataType = (int)value.Int64(); break;
                case 4: value.AddFloats(floats); break;
                case 8: name = value.String(); break;
                case 9: raw = value.Bytes(); break;
                case 13: throw new OnnxFormatException($"tensor '{name}' uses external data, which is not supported");
            }
        }

        if (dataType != FloatType)
        {
            throw new OnnxFormatException($"tensor '{name}' has data_type {dataType}; only float (1) is supported");
        }

        // raw_data is little-endian per the ONNX spec; float_data is the protobuf repeated float.
        float[] data = raw is { } r ? MemoryMarshal.Cast<byte, float>(r.Span).ToArray() : floats.ToArray();
        if (raw is { Length: var rawLength } && rawLength % sizeof(float) != 0)
        {
            throw new OnnxFormatException($"tensor '{name}' raw_data length {rawLength} is not a multiple of 4");
        }

        var tensor = new OnnxTensor(name, dims, data);
        if (dims.Any(d => d < 0) || tensor.ElementCount != data.Length)
        {
            throw new OnnxFormatException(
                $"tensor '{name}' has dims [{string.Join(",", dims)}] but {data.Length} values");
        }

        return tensor;
    }

    private static OnnxValueInfo ReadValueInfo(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        int elementType = 0;
        var shape = new List<long?>();
        foreach (var (field, value) in Fields(bytes))
        {
            if (field == 1) name = value.String();
            if (field != 2) continue;
            foreach (var (typeField, tensorType) in Fields(value.Bytes()))
            {
                if (typeField != 1) continue; // only tensor_type
                foreach (var (tf, tv) in Fields(tensorType.Bytes()))
                {
                    if (tf == 1) elementType = (int)tv.Int64();
                    if (tf != 2) continue;
                    foreach (var (sf, dim) in Fields(tv.Bytes()))
                    {
                        if (sf != 1) continue;
                        long? size = null;
                        foreach (var (df, dv) in Fields(dim.Bytes()))
                        {
                            if (df == 1) size = dv.Int64();
                        }
                        shape.Add(size);
                    }
                }
            }
        }

        return new OnnxValueInfo(name, elementType, shape);
    }

    private static IEnumerable<(int Field, WireValue Value)> Fields(ReadOnlyMemory<byte> bytes) =>
        Fields(MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new CodedInputStream(segment.Array!, segment.Offset, segment.Count)
            : new CodedInputStream(bytes.ToArray()));

    private static IEnumerable<(int Field, WireValue Value)> Fields(byte[] bytes) => Fields(new CodedInputStream(bytes));

    private static IEnumerable<(int Field, WireValue Value)> Fields(CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            yield return (WireFormat.GetTagFieldNumber(tag), WireValue.Read(input, WireFormat.GetTagWireType(tag)));
        }
    }
}
