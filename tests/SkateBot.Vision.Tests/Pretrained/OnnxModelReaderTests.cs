using Google.Protobuf;
using SkateBot.Vision.Pretrained;

namespace SkateBot.Vision.Tests.Pretrained;

public sealed class OnnxModelReaderTests
{
    [Fact]
    public void Read_ShippedResNet18_FindsGraphAsDocumented()
    {
        var model = OnnxModelReader.Read(OnnxFiles.ResNet18);

        Assert.Equal("CNTK", model.ProducerName);
        Assert.Equal(74, model.Nodes.Count);
        Assert.Equal(110, model.Initializers.Count);
        var input = Assert.Single(model.Inputs, i => !model.Initializers.ContainsKey(i.Name));
        Assert.Equal("Input247", input.Name);
        Assert.Equal([1L, 3, 224, 224], input.Shape);
        Assert.Equal("Pooling395_Output_0", Assert.Single(model.Outputs).Name);
        var conv = model.Nodes.First(n => n.OpType == "Conv");
        Assert.Equal([3L, 3, 2, 2], conv.Attribute("pads")!.Ints);
        Assert.Equal("NOTSET", conv.Attribute("auto_pad")!.S);
    }

    [Fact]
    public void Read_RawAndPackedAndUnpackedFloats_AllDecode()
    {
        byte[] raw = new byte[8];
        BitConverter.TryWriteBytes(raw.AsSpan(0, 4), 1.5f);
        BitConverter.TryWriteBytes(raw.AsSpan(4, 4), -2f);
        var graph = Message(w =>
        {
            w.WriteTag(5, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Tensor("raw", t =>
            {
                t.WriteTag(9, WireFormat.WireType.LengthDelimited);
                t.WriteBytes(ByteString.CopyFrom(raw));
            }));
            w.WriteTag(5, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Tensor("packed", t =>
            {
                t.WriteTag(4, WireFormat.WireType.LengthDelimited);
                t.WriteLength(8);
                t.WriteFloat(1.5f);
                t.WriteFloat(-2f);
            }));
            w.WriteTag(5, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Tensor("unpacked", t =>
            {
                t.WriteTag(4, WireFormat.WireType.Fixed32);
                t.WriteFloat(1.5f);
                t.WriteTag(4, WireFormat.WireType.Fixed32);
                t.WriteFloat(-2f);
            }));
        });

        var model = OnnxModelReader.Read(Model(graph));

        foreach (var name in new[] { "raw", "packed", "unpacked" })
        {
            Assert.Equal([2L], model.Initializers[name].Dims);
            Assert.Equal([1.5f, -2f], model.Initializers[name].Data);
        }
    }

    [Fact]
    public void Read_DimsDisagreeWithData_ThrowsNamingTheTensor()
    {
        var graph = Message(w =>
        {
            w.WriteTag(5, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Tensor("short", t => { t.WriteTag(4, WireFormat.WireType.Fixed32); t.WriteFloat(1f); }));
        });

        var e = Assert.Throws<OnnxFormatException>(() => OnnxModelReader.Read(Model(graph)));

        Assert.Contains("'short'", e.Message);
    }

    [Fact]
    public void Read_NoGraph_Throws()
    {
        var bytes = Message(w => { w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteString("nobody"); }).ToByteArray();

        var e = Assert.Throws<OnnxFormatException>(() => OnnxModelReader.Read(bytes));

        Assert.Contains("no graph", e.Message);
    }

    // A TensorProto of two floats (dims [2], data_type float) with the data written by `data`.
    private static ByteString Tensor(string name, Action<CodedOutputStream> data) => Message(t =>
    {
        t.WriteTag(1, WireFormat.WireType.Varint);
        t.WriteInt64(2);
        t.WriteTag(2, WireFormat.WireType.Varint);
        t.WriteInt32(1);
        t.WriteTag(8, WireFormat.WireType.LengthDelimited);
        t.WriteString(name);
        data(t);
    });

    private static byte[] Model(ByteString graph) => Message(w =>
    {
        w.WriteTag(7, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(graph);
    }).ToByteArray();

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return ByteString.CopyFrom(buffer.ToArray());
    }
}
