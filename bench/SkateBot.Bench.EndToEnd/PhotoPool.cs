using System.Text;
using SkiaSharp;

namespace SkateBot.Bench.EndToEnd;

/// <summary>A photo to post: JPEG bytes and its size in pixels.</summary>
internal readonly record struct PoolPhoto(byte[] Bytes, int Width, int Height);

/// <summary>
/// 2-megapixel JPEGs (1600×1200, quality 90, sensor-like noise: 0.5–1 MB), drawn from a fixed seed: a gradient
/// "room", a floor, a boot-like shape on wheels, a few lines; or (<see cref="FromFolder"/>) real photos scaled to
/// about the same pixel count. A pool of distinct pictures is made once; every photo
/// posted is one of them with its own JPEG comment segment, so each photo has its own bytes and SHA-256 (the bot stores
/// and records each one) while the decode costs what a real 2 MP photo costs.
/// </summary>
internal sealed class PhotoPool
{
    public const int Width = 1600, Height = 1200;
    private readonly PoolPhoto[] _drawings;
    private long _next;

    public PhotoPool(int size, int seed)
    {
        var random = new Random(seed);
        _drawings = Enumerable.Range(0, size).Select(_ => new PoolPhoto(Draw(random), Width, Height)).ToArray();
        Description = $"{_drawings.Length} drawings of {Width}×{Height}";
    }

    private PhotoPool(PoolPhoto[] photos, string description)
    {
        _drawings = photos;
        Description = description;
    }

    /// <summary>
    /// Every image under <paramref name="folder"/> (e.g. ../shared/photos/holdout), scaled to about 1600×1200 pixels in
    /// all with its aspect kept and encoded as JPEG q90: what a model trained on real photos is sure or unsure of, at the
    /// decode cost of the drawn pool. Nothing is written to disk.
    /// </summary>
    public static PhotoPool FromFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--photos {folder}: no such folder.");
        var photos = new List<PoolPhoto>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var original = SKBitmap.Decode(file);
            if (original is null) continue;   // SOURCES.tsv and the like
            var scale = Math.Sqrt((double)Width * Height / ((double)original.Width * original.Height));
            var info = new SKImageInfo(Math.Max(1, (int)Math.Round(original.Width * scale)), Math.Max(1, (int)Math.Round(original.Height * scale)),
                SKColorType.Rgba8888, SKAlphaType.Premul);
            using var scaled = original.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            using var image = SKImage.FromBitmap(scaled);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
            photos.Add(new PoolPhoto(data.ToArray(), info.Width, info.Height));
        }
        if (photos.Count == 0) throw new ArgumentException($"--photos {folder}: no image found.");
        return new PhotoPool([.. photos], $"{photos.Count} photos from {folder} scaled to about {Width}×{Height} pixels");
    }

    public IReadOnlyList<byte[]> Drawings => _drawings.Select(d => d.Bytes).ToList();

    /// <summary>What the pool holds, for the log.</summary>
    public string Description { get; }

    /// <summary>The next photo: a picture of the pool (round robin) with a unique COM segment after SOI.</summary>
    public PoolPhoto Next()
    {
        var n = Interlocked.Increment(ref _next);
        var (drawing, width, height) = _drawings[n % _drawings.Length];
        var comment = Encoding.ASCII.GetBytes($"skatebot end-to-end bench photo {n} {Guid.NewGuid():N}");
        var segment = 2 + comment.Length;
        var photo = new byte[drawing.Length + 2 + segment];
        photo[0] = 0xFF; photo[1] = 0xD8;                               // SOI
        photo[2] = 0xFF; photo[3] = 0xFE;                               // COM
        photo[4] = (byte)(segment >> 8); photo[5] = (byte)segment;
        comment.CopyTo(photo, 6);
        drawing.AsSpan(2).CopyTo(photo.AsSpan(6 + comment.Length));
        return new PoolPhoto(photo, width, height);
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
