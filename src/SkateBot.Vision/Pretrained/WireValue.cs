using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;

namespace SkateBot.Vision.Pretrained;

/// <summary>
/// One protobuf field value, read eagerly so callers can interpret it by field number.
/// Repeated scalars may arrive packed (one length-delimited run) or unpacked (one value per tag); both are accepted.
/// </summary>
internal readonly struct WireValue
{
    private readonly WireFormat.WireType type;
    private readonly ulong scalar;
    private readonly ReadOnlyMemory<byte> bytes;

    private WireValue(WireFormat.WireType type, ulong scalar, ReadOnlyMemory<byte> bytes)
    {
        this.type = type;
        this.scalar = scalar;
        this.bytes = bytes;
    }

    public static WireValue Read(CodedInputStream input, WireFormat.WireType type) => type switch
    {
        WireFormat.WireType.Varint => new(type, input.ReadUInt64(), default),
        WireFormat.WireType.Fixed32 => new(type, input.ReadFixed32(), default),
        WireFormat.WireType.Fixed64 => new(type, input.ReadFixed64(), default),
        WireFormat.WireType.LengthDelimited => new(type, 0, input.ReadBytes().Memory),
        _ => throw new OnnxFormatException($"unsupported protobuf wire type {type}"),
    };

    public ReadOnlyMemory<byte> Bytes() => Expect(WireFormat.WireType.LengthDelimited).bytes;

    public string String() => Encoding.UTF8.GetString(Bytes().Span);

    public long Int64() => (long)Expect(WireFormat.WireType.Varint).scalar;

    public float Float() => BitConverter.Int32BitsToSingle((int)(uint)Expect(WireFormat.WireType.Fixed32).scalar);

    public void AddFloats(List<float> target)
    {
        if (type != WireFormat.WireType.LengthDelimited)
        {
            target.Add(Float());
            return;
        }

        var span = bytes.Span;
        if (span.Length % sizeof(float) != 0)
        {
            throw new OnnxFormatException($"packed float run of {span.Length} bytes is not a multiple of 4");
        }

        if (BitConverter.IsLittleEndian)
        {
            target.AddRange(MemoryMarshal.Cast<byte, float>(span));
            return;
        }

        for (int i = 0; i < span.Length; i += sizeof(float))
        {
            target.Add(BinaryPrimitives.ReadSingleLittleEndian(span[i..]));
        }
    }

    public void AddInt64s(List<long> target)
    {
        if (type != WireFormat.WireType.LengthDelimited)
        {
            target.Add(Int64());
            return;
        }

        var input = new CodedInputStream(bytes.ToArray());
        while (!input.IsAtEnd)
        {
            target.Add(input.ReadInt64());
        }
    }

    private WireValue Expect(WireFormat.WireType expected) => type == expected
        ? this
        : throw new OnnxFormatException($"expected protobuf wire type {expected} but found {type}");
}
