using System.Collections.Concurrent;
using System.Text;
using static TorchSharp.torch;

namespace SkateBot.Vision.Model;

/// <summary>
/// What a backbone's weights expect as input. The ML.NET ResNet18 export expects BGR pixel values 0..255 minus a
/// per-pixel mean image (ResNetPreprocess.onnx), unlike torchvision's RGB 0..1 normalised by channel mean/std.
/// </summary>
internal sealed class InputConvention
{
    private const uint Magic = 0x43493153; // "S1IC"
    private const int Version = 1;
    private const int MaxNameBytes = 256;

    private readonly float[] meanImage;
    private readonly ConcurrentDictionary<string, Tensor> meanByDevice = new(StringComparer.Ordinal);

    public InputConvention(string name, bool bgr, float scale, int size, float[] meanImage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (size is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "input size must be 1..4096");
        }

        if (!float.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be a positive finite number");
        }

        if (meanImage.Length != 3 * size * size)
        {
            throw new ArgumentException($"mean image has {meanImage.Length} values; expected 3*{size}*{size}", nameof(meanImage));
        }

        Name = name;
        Bgr = bgr;
        Scale = scale;
        Size = size;
        this.meanImage = (float[])meanImage.Clone();
    }

    public string Name { get; }

    /// <summary>True when the backbone wants channels in B, G, R order.</summary>
    public bool Bgr { get; }

    /// <summary>Factor from 0..1 pixel values to the model's range (255 for 0..255).</summary>
    public float Scale { get; }

    public int Size { get; }

    /// <summary>[3, Size, Size] row-major, in the channel order the model subtracts it (BGR when <see cref="Bgr"/>).</summary>
    public float[] MeanImage => (float[])meanImage.Clone();

    /// <summary>Converts [N,3,Size,Size] RGB 0..1 floats (any device) into the backbone's input on the same device.</summary>
    public Tensor Apply(Tensor rgb01)
    {
        if (rgb01.dim() != 4 || rgb01.shape[1] != 3 || rgb01.shape[2] != Size || rgb01.shape[3] != Size)
        {
            throw new ArgumentException(
                $"expected [N,3,{Size},{Size}] RGB input, got [{string.Join(",", rgb01.shape)}]", nameof(rgb01));
        }

        using var scope = NewDisposeScope();
        var x = rgb01.to_type(ScalarType.Float32) * Scale;
        if (Bgr)
        {
            x = x.flip(1);
        }

        return (x - MeanOn(rgb01.device)).MoveToOuterDisposeScope();
    }

    public void WriteTo(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(Name);
        writer.Write(Bgr);
        writer.Write(Scale);
        writer.Write(Size);
        foreach (float v in meanImage)
        {
            writer.Write(v);
        }
    }

    public static InputConvention ReadFrom(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("not an input convention record (bad magic)");
            }

            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"input convention record version {version} is not supported (expected {Version})");
            }

            string name = reader.ReadString();
            if (name.Length is 0 or > MaxNameBytes)
            {
                throw new InvalidDataException($"input convention name has an impossible length {name.Length}");
            }

            bool bgr = reader.ReadBoolean();
            float scale = reader.ReadSingle();
            int size = reader.ReadInt32();
            if (size is < 1 or > 4096 || !float.IsFinite(scale) || scale <= 0)
            {
                throw new InvalidDataException($"input convention record holds impossible size {size} or scale {scale}");
            }

            var mean = new float[3 * size * size];
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] = reader.ReadSingle();
            }

            return new InputConvention(name, bgr, scale, size, mean);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("input convention record is truncated", e);
        }
    }

    // One copy of the mean image per device, created outside any dispose scope so callers' scopes never free it.
    private Tensor MeanOn(Device device) => meanByDevice.GetOrAdd(device.ToString(), _ =>
    {
        var cpu = tensor(meanImage, [1, 3, Size, Size]);
        var moved = cpu.to(device);
        if (!ReferenceEquals(moved, cpu))
        {
            cpu.Dispose();
        }

        return moved.DetachFromDisposeScope();
    });
}
