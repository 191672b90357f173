using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Bench;

/// <summary>
/// A deterministic stand-in for a 12-megapixel phone photo: smooth colour gradients (sky, ground, a diagonal
/// band) plus per-pixel sensor-like noise, saved as JPEG quality 90. The noise keeps the encoder from
/// compressing it to nothing, so the decode cost is close to a real photo's (a few MB of entropy-coded data).
/// Generated from a fixed seed, so every run decodes the same bytes; no photo file is needed or shipped.
/// </summary>
public static class SyntheticPhoto
{
    public const int Width = 4000;
    public const int Height = 3000;
    private const int Seed = 20240601;
    private const int NoiseAmplitude = 16;

    private static readonly Lazy<byte[]> Cached = new(CreateJpeg, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The encoded JPEG, generated once per process.</summary>
    public static byte[] Jpeg => Cached.Value;

    private static byte[] CreateJpeg()
    {
        using var image = new Image<Rgb24>(Width, Height);
        var random = new Random(Seed);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var band = MathF.Sin((x + y) * 0.004f) * 60f;
                    row[x] = new Rgb24(
                        Channel(255f * x / Width + band, random),
                        Channel(255f * y / Height - band, random),
                        Channel(128f + 100f * MathF.Cos(x * 0.002f) * MathF.Sin(y * 0.003f), random));
                }
            }
        });

        // Written to a temp file as the issue asks (a real JPEG on disk), then held in memory so the benchmark
        // measures decoding, not disk reads; the file is removed straight away.
        var path = Path.Combine(Path.GetTempPath(), $"skatebot-bench-{Guid.NewGuid():N}.jpg");
        try
        {
            image.Save(path, new JpegEncoder { Quality = 90 });
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte Channel(float value, Random random) =>
        (byte)Math.Clamp((int)value + random.Next(-NoiseAmplitude, NoiseAmplitude + 1), 0, 255);
}
