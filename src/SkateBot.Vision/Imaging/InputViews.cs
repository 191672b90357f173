using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// How a photo becomes model input. Recorded in each checkpoint so <c>predict</c>, <c>eval</c>, the service and the retrain
/// gate preprocess identically.
/// <list type="bullet">
/// <item><c>crop</c>: shorter side to the input size, centre square (fast.ai's validation default; cuts the feet off
/// portrait photos).</item>
/// <item><c>pad</c>: the whole photo scaled into the square, the rest filled with the photo's border colour.</item>
/// <item><c>multi</c>: pad + centre crop + the lower square (where the skates are in a portrait or whole-body shot);
/// the classifier averages the logits of the views.</item>
/// </list>
/// </summary>
public static class InputViews
{
    public const string Crop = "crop", Pad = "pad", Multi = "multi";

    public static IReadOnlyList<string> Modes { get; } = [Crop, Pad, Multi];

    /// <summary>Checkpoints written before views existed used the centre crop.</summary>
    public static string Normalize(string? mode) => string.IsNullOrWhiteSpace(mode) ? Crop
        : Modes.Contains(mode) ? mode
        : throw new ArgumentException($"Unknown preprocessing '{mode}' (use {string.Join(", ", Modes)}).");

    public static int Count(string mode) => Normalize(mode) == Multi ? 3 : 1;

    /// <summary>
    /// The smallest decode from which every view of <paramref name="mode"/> at <paramref name="size"/> is made without
    /// enlarging: the centre crop needs the shorter side at <paramref name="size"/>, the padded view the longer side, and
    /// the lower square of a landscape photo (side ⅔ of the height) a shorter side of 1.5·<paramref name="size"/>.
    /// </summary>
    public static DecodeNeed Need(string mode, int size = 224) => Normalize(mode) switch
    {
        Crop => new DecodeNeed(size, size),
        Pad => new DecodeNeed(1, size),
        _ => new DecodeNeed((size * 3 + 1) / 2, size),
    };

    /// <summary>The views of <paramref name="image"/> as planar RGB 0..1 arrays of size×size pixels.</summary>
    public static float[][] Make(Image<Rgb24> image, string mode, int size = 224)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Normalize(mode) switch
        {
            Crop => [ImageTensorizer.ToChw(image, size)],
            Pad => [Padded(image, size)],
            _ => [Padded(image, size), ImageTensorizer.ToChw(image, size), LowerSquare(image, size)],
        };
    }

    /// <summary>The whole image fitted into size×size and centred, borders filled with its mean edge colour.</summary>
    public static float[] Padded(Image<Rgb24> image, int size)
    {
        using var square = PaddedImage(image, size);
        return ImageTensorizer.ToChwExact(square);
    }

    public static Image<Rgb24> PaddedImage(Image<Rgb24> image, int size, double offsetX = 0.5, double offsetY = 0.5)
    {
        var scale = (double)size / Math.Max(image.Width, image.Height);
        var w = Math.Clamp((int)Math.Round(image.Width * scale), 1, size);
        var h = Math.Clamp((int)Math.Round(image.Height * scale), 1, size);
        var fill = EdgeColour(image);
        using var fitted = image.Clone(x => x.Resize(w, h, KnownResamplers.Triangle));
        var canvas = new Image<Rgb24>(size, size, fill);
        var at = new Point((int)Math.Round((size - w) * offsetX), (int)Math.Round((size - h) * offsetY));
        canvas.Mutate(x => x.DrawImage(fitted, at, 1f));
        return canvas;
    }

    /// <summary>The square of side min(w, h) (landscape: of side ⅔·h) touching the bottom edge, centred horizontally.</summary>
    public static float[] LowerSquare(Image<Rgb24> image, int size)
    {
        var side = image.Height > image.Width ? image.Width : Math.Max(1, image.Height * 2 / 3);
        var x = (image.Width - side) / 2;
        var y = image.Height - side;
        using var crop = image.Clone(c => c.Crop(new Rectangle(x, y, side, side)).Resize(size, size, KnownResamplers.Triangle));
        return ImageTensorizer.ToChwExact(crop);
    }

    /// <summary>Mean colour of the outermost rows and columns: white for studio shots, a blend of the scene otherwise.</summary>
    public static Rgb24 EdgeColour(Image<Rgb24> image)
    {
        long r = 0, g = 0, b = 0, n = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var edgeRow = y == 0 || y == rows.Height - 1;
                for (var x = 0; x < row.Length; x += edgeRow ? 1 : Math.Max(1, row.Length - 1))
                {
                    r += row[x].R; g += row[x].G; b += row[x].B; n++;
                }
            }
        });
        return n == 0 ? new Rgb24(255, 255, 255) : new Rgb24((byte)(r / n), (byte)(g / n), (byte)(b / n));
    }
}
