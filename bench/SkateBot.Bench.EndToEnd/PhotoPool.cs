using System.Text;
using SkiaSharp;

namespace SkateBot.Bench.EndToEnd;

/// <summary>
/// 2-megapixel JPEGs (1600×1200, quality 90, sensor-like noise: 0.5–1 MB), drawn from a fixed seed: a gradient
/// "room", a floor, a boot-like shape on wheels, a few lines. A pool of distinct drawings is made once; every photo
/// posted is one of them with its own JPEG comment segment, so each photo has its own bytes and SHA-256 (the bot stores
/// and records each one) while the decode costs what a real 2 MP photo costs.
/// </summary>
internal sealed class PhotoPool
{
    public const int Width = 1600, Height = 1200;
    private readonly byte[][] _drawings;
    private long _next;

    public PhotoPool(int size, int seed)
    {
        var random = new Random(seed);
        _drawings = Enumerable.Range(0, size).Select(_ => Draw(random)).ToArray();
    }

    public IReadOnlyList<byte[]> Drawings => _drawings;

    /// <summary>The next photo: a drawing (round robin) with a unique COM segment after SOI.</summary>
    public byte[] Next()
    {
        var n = Interlocked.Increment(ref _next);
        var drawing = _drawings[n % _drawings.Length];
        var comment = Encoding.ASCII.GetBytes($"skatebot end-to-end bench photo {n} {Guid.NewGuid():N}");
        var segment = 2 + comment.Length;
        var photo = new byte[drawing.Length + 2 + segment];
        photo[0] = 0xFF; photo[1] = 0xD8;                               // SOI
        photo[2] = 0xFF; photo[3] = 0xFE;                               // COM
        photo[4] = (byte)(segment >> 8); photo[5] = (byte)segment;
        comment.CopyTo(photo, 6);
        drawing.AsSpan(2).CopyTo(photo.AsSpan(6 + comment.Length));
        return photo;
    }

    private static byte[] Draw(Random random)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            SKColor RandomColor(int min = 0, int max = 256) => new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));
            using (var sky = new SKPaint())
            {
                sky.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(random.Next(Width), Height),
                    [RandomColor(80), RandomColor(0, 180)], SKShaderTileMode.Clamp);
                canvas.DrawRect(0, 0, Width, Height, sky);
            }
            using var paint = new SKPaint { IsAntialias = true };
            var floor = random.Next(Height / 2, Height * 4 / 5);
            paint.Color = RandomColor(40, 200);
            canvas.DrawRect(0, floor, Width, Height - floor, paint);
            for (var i = 0; i < 12; i++)
            {
                paint.Color = RandomColor().WithAlpha((byte)random.Next(60, 200));
                paint.StrokeWidth = random.Next(2, 20);
                canvas.DrawLine(random.Next(Width), random.Next(Height), random.Next(Width), random.Next(Height), paint);
            }
            // A boot on a frame with four wheels, somewhere on the floor.
            var bootWidth = random.Next(Width / 4, Width / 2);
            var x = random.Next(0, Width - bootWidth);
            var bootTop = floor - random.Next(Height / 4, Height / 2);
            var wheel = bootWidth / 10f;
            paint.Color = RandomColor(0, 120);
            canvas.DrawRoundRect(new SKRect(x, bootTop, x + bootWidth * 0.7f, floor - wheel * 3), 40, 40, paint);
            canvas.DrawRect(x, floor - wheel * 3, x + bootWidth, floor - wheel * 2, paint);
            paint.Color = RandomColor(150);
            for (var w = 0; w < 4; w++)
                canvas.DrawCircle(x + wheel * (1.3f + w * 2.5f), floor - wheel, wheel, paint);
        }
        AddNoise(bitmap, random);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>Per-pixel noise like a phone sensor's, which is what makes a real photo's JPEG large.</summary>
    private static void AddNoise(SKBitmap bitmap, Random random)
    {
        var pixels = bitmap.GetPixelSpan();
        var amplitude = random.Next(16, 26);
        var noise = new byte[4096];
        random.NextBytes(noise);
        var offset = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            if ((i & 3) == 3) continue;   // alpha
            if (offset == noise.Length) { random.NextBytes(noise); offset = 0; }
            var v = pixels[i] + (noise[offset++] % (2 * amplitude + 1)) - amplitude;
            pixels[i] = (byte)Math.Clamp(v, 0, 255);
        }
    }
}
