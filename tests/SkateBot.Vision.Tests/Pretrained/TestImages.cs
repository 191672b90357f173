using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Tests.Pretrained;

/// <summary>Planar RGB 0..1 images ([3,S,S] row-major) for feeding both ONNX Runtime and TorchSharp.</summary>
internal static class TestImages
{
    /// <summary>Gradients plus seeded rectangles and discs, quantised to 8-bit like a decoded photo.</summary>
    public static float[] Synthetic(int seed, int size = 224)
    {
        var random = new Random(seed);
        var rgb = new byte[3, size, size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                rgb[0, y, x] = (byte)(x * 255 / (size - 1));
                rgb[1, y, x] = (byte)(y * 255 / (size - 1));
                rgb[2, y, x] = (byte)((x + y) * 255 / (2 * size - 2));
            }
        }

        for (int shape = 0; shape < 12; shape++)
        {
            int cx = random.Next(size), cy = random.Next(size), r = random.Next(8, size / 4);
            bool disc = random.Next(2) == 0;
            var colour = new[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) };
            for (int y = Math.Max(0, cy - r); y < Math.Min(size, cy + r); y++)
            {
                for (int x = Math.Max(0, cx - r); x < Math.Min(size, cx + r); x++)
                {
                    if (!disc || (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                    {
                        for (int c = 0; c < 3; c++)
                        {
                            rgb[c, y, x] = colour[c];
                        }
                    }
                }
            }
        }

        return ToUnit(rgb);
    }

    public static float[] FromFile(string path, int size = 224)
    {
        using var image = Image.Load<Rgb24>(path);
        image.Mutate(m => m.Resize(size, size));
        var rgb = new byte[3, size, size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                var p = image[x, y];
                rgb[0, y, x] = p.R;
                rgb[1, y, x] = p.G;
                rgb[2, y, x] = p.B;
            }
        }

        return ToUnit(rgb);
    }

    private static float[] ToUnit(byte[,,] rgb) => rgb.Cast<byte>().Select(b => b / 255f).ToArray();
}
