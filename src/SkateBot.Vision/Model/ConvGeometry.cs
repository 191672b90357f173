namespace SkateBot.Vision.Model;

/// <summary>Zero (conv) or -inf (max pool) padding per side, in ONNX `pads` order: begin H, begin W, end H, end W.</summary>
internal sealed record Padding2d(int Top, int Left, int Bottom, int Right)
{
    public static Padding2d Symmetric(int pad) => new(pad, pad, pad, pad);

    public override string ToString() => $"[{Top},{Left},{Bottom},{Right}]";
}

/// <summary>A square-kernel convolution or pooling window. CNTK exports pad asymmetrically, so the sides are kept apart.</summary>
internal sealed record ConvGeometry(int Kernel, int Stride, Padding2d Pads)
{
    public long OutputSize(long inputSize, bool vertical = true)
    {
        long padded = inputSize + (vertical ? Pads.Top + Pads.Bottom : Pads.Left + Pads.Right);
        if (padded < Kernel)
        {
            throw new ArgumentException($"input size {inputSize} is smaller than the {Kernel}x{Kernel} window");
        }

        return (padded - Kernel) / Stride + 1;
    }

    public override string ToString() => $"k{Kernel} s{Stride} pads {Pads}";
}
