using System.Runtime.InteropServices;
using Google.Protobuf;

namespace SkateBot.Vision.Export;

/// <summary>
/// Writes the subset of an ONNX ModelProto the exporter needs straight to the protobuf wire format, the reverse of
/// <see cref="Pretrained.OnnxModelReader"/> (no generated code). Field numbers follow
/// https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3. Nested messages are built into their own buffer and written
/// length-prefixed.
/// </summary>
internal sealed class OnnxProtoWriter
{
    // AttributeProto.AttributeType
    private const int AttrFloat = 1, AttrInt = 2, AttrInts = 7;
    // TensorProto.DataType
    public const int Float = 1, Uint8 = 2, Int8 = 3, Int32 = 6;

    private readonly MemoryStream buffer;
    private readonly CodedOutputStream output;

    /// <param name="capacity">Bytes to reserve: a writer that will hold the weights gets their size up front, so its
    /// buffer is not regrown (each regrowth held the old and the new buffer at once, on the large-object heap).</param>
    public OnnxProtoWriter(int capacity = 0)
    {
        buffer = new MemoryStream(capacity);
        output = new CodedOutputStream(buffer, leaveOpen: true);
    }

    public byte[] ToArray()
    {
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>The bytes written so far, without a copy (valid until the next write).</summary>
    private ReadOnlySpan<byte> Written()
    {
        output.Flush();
        return buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
    }

    public OnnxProtoWriter Int64(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public OnnxProtoWriter Float32(int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
        return this;
    }

    public OnnxProtoWriter String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public OnnxProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(value.Length);
        // Straight into the buffer: a ByteString would be one more copy of every weight tensor.
        output.Flush();
        buffer.Write(value);
        return this;
    }

    public OnnxProtoWriter Message(int field, Action<OnnxProtoWriter> write)
    {
        var child = new OnnxProtoWriter();
        write(child);
        return Message(field, child);
    }

    /// <summary>A finished <paramref name="child"/> as a length-prefixed field (its bytes are copied once, not twice).</summary>
    public OnnxProtoWriter Message(int field, OnnxProtoWriter child) => Bytes(field, child.Written());

    /// <summary>A packed repeated int64 (proto3's default encoding).</summary>
    public OnnxProtoWriter PackedInt64s(int field, IEnumerable<long> values)
    {
        var child = new OnnxProtoWriter();
        foreach (var v in values) child.output.WriteInt64(v);
        return Message(field, child);
    }

    // --- ONNX messages -------------------------------------------------------------------------------------------

    /// <summary>TensorProto: dims (1), data_type (2), name (8), raw_data (9, little-endian).</summary>
    public static void Tensor(OnnxProtoWriter w, string name, IReadOnlyList<long> dims, float[] data)
    {
        if (dims.Aggregate(1L, (a, d) => a * d) != data.Length)
            throw new ArgumentException($"tensor '{name}' has dims [{string.Join(",", dims)}] but {data.Length} values");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian");
        w.PackedInt64s(1, dims).Int64(2, Float).String(8, name).Bytes(9, MemoryMarshal.AsBytes(data.AsSpan()));
    }

    /// <summary>TensorProto of any element type from its little-endian bytes (<paramref name="dataType"/>: TensorProto.DataType).</summary>
    public static void RawTensor(OnnxProtoWriter w, string name, IReadOnlyList<long> dims, int dataType, ReadOnlySpan<byte> data) =>
        w.PackedInt64s(1, dims).Int64(2, dataType).String(8, name).Bytes(9, data);

    /// <summary>ValueInfoProto for a float tensor; a null dimension is symbolic (dim_param <paramref name="symbol"/>).</summary>
    public static void FloatValueInfo(OnnxProtoWriter w, string name, IReadOnlyList<long?> shape, string symbol = "batch") =>
        w.String(1, name).Message(2, type => type.Message(1, tensor => tensor
            .Int64(1, Float)
            .Message(2, s =>
            {
                foreach (var d in shape) s.Message(1, dim => { if (d is { } v) dim.Int64(1, v); else dim.String(2, symbol); });
            })));

    /// <summary>NodeProto: input (1), output (2), name (3), op_type (4), attribute (5).</summary>
    public static void Node(OnnxProtoWriter w, string op, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        params OnnxAttr[] attributes)
    {
        foreach (var i in inputs) w.String(1, i);
        foreach (var o in outputs) w.String(2, o);
        w.String(3, name).String(4, op);
        foreach (var a in attributes)
            w.Message(5, m =>
            {
                m.String(1, a.Name);
                if (a.Ints is { } ints) { foreach (var v in ints) m.Int64(8, v); m.Int64(20, AttrInts); }
                else if (a.F is { } f) m.Float32(2, f).Int64(20, AttrFloat);
                else m.Int64(3, a.I ?? 0).Int64(20, AttrInt);
            });
    }
}

/// <summary>One node attribute: an int, a float or a list of ints (all the graph uses).</summary>
internal sealed record OnnxAttr(string Name, long? I = null, float? F = null, IReadOnlyList<long>? Ints = null)
{
    public static OnnxAttr Int(string name, long value) => new(name, I: value);
    public static OnnxAttr Real(string name, float value) => new(name, F: value);
    public static OnnxAttr List(string name, params long[] values) => new(name, Ints: values);
}
