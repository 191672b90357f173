using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Imaging;

/// <summary>A skate cut out of a studio shot: its pixels inside the bounding box and which of them belong to the skate.</summary>
public sealed record CutOut(Rgb24[] Pixels, bool[] Mask, int Width, int Height);

/// <summary>
/// Puts studio skates into wild scenes. Studio product shots stand on a plain background: flood-filling the background from
/// the border gives the skate's outline, which is pasted small and at a random place (lower part of the frame, as in photos
/// of people skating) onto the upper part of a wild photo, where there are people and parks but rarely skates. The pasted
/// skate keeps its label, so a person or a skatepark in the picture stops predicting a class.
/// </summary>
public static class Compositor
{
    private const int Tolerance = 40;

    /// <summary>The skate of a plain-background shot, or null when the border is not one plain colour.</summary>
    public static CutOut? TryCutOut(Image<Rgb24> studio)
    {
        ArgumentNullException.ThrowIfNull(studio);
        int w = studio.Width, h = studio.Height;
        if (w < 16 || h < 16) return null;
        var px = new Rgb24[w * h];
        studio.CopyPixelDataTo(px);
        var edge = InputViews.EdgeColour(studio);
        var border = BorderIndices(w, h).ToList();
        if (border.Count(i => Close(px[i], edge)) < border.Count * 0.85) return null;
        var background = new bool[w * h];
        var stack = new Stack<int>(border.Where(i => Close(px[i], edge)));
        foreach (var i in stack) background[i] = true;
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            int x = i % w, y = i / w;
            foreach (var j in Neighbours(x, y, w, h))
                if (!background[j] && Close(px[j], edge)) { background[j] = true; stack.Push(j); }
        }
        int minX = w, minY = h, maxX = -1, maxY = -1, count = 0;
        for (var i = 0; i < px.Length; i++)
        {
            if (background[i]) continue;
            count++;
            int x = i % w, y = i / w;
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        if (count < px.Length * 0.05 || count > px.Length * 0.9) return null;
        int bw = maxX - minX + 1, bh = maxY - minY + 1;
        var pixels = new Rgb24[bw * bh];
        var mask = new bool[bw * bh];
        for (var y = 0; y < bh; y++)
            for (var x = 0; x < bw; x++)
            {
                var src = (minY + y) * w + minX + x;
                pixels[y * bw + x] = px[src];
                mask[y * bw + x] = !background[src];
            }
        return new CutOut(pixels, mask, bw, bh);
    }

    /// <summary>A side×side scene: the upper part of <paramref name="scene"/> with <paramref name="skate"/> pasted into it.</summary>
    public static Image<Rgb24> Paste(CutOut skate, Image<Rgb24> scene, Random rng, int side = 256)
    {
        ArgumentNullException.ThrowIfNull(skate);
        ArgumentNullException.ThrowIfNull(scene);
        var r = new SplitMix(rng);
        // Background: a square from the top 60% of the scene (people, walls, sky, ramps; the scene's own skates are usually lower).
        var regionH = Math.Max(1, (int)(scene.Height * 0.6));
        var sq = Math.Min(scene.Width, regionH);
        var bx = r.Next(0, scene.Width - sq + 1);
        using var canvas = scene.Clone(c => c.Crop(new Rectangle(bx, 0, sq, sq)).Resize(side, side, KnownResamplers.Triangle));
        var target = (0.3 + 0.45 * r.NextDouble()) * side / Math.Max(skate.Width, skate.Height);
        var tw = Math.Max(2, (int)(skate.Width * target));
        var th = Math.Max(2, (int)(skate.Height * target));
        var ox = r.Next(0, Math.Max(1, side - tw + 1));
        var oy = side - th - r.Next(0, Math.Max(1, (side - th) / 2 + 1)); // lower half of the frame
        var flip = r.NextDouble() < 0.5;
        var output = canvas.Clone();
        output.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < th; y++)
            {
                var cy = oy + y;
                if (cy < 0 || cy >= side) continue;
                var row = rows.GetRowSpan(cy);
                var sy = Math.Min(skate.Height - 1, (int)(y / target));
                for (var x = 0; x < tw; x++)
                {
                    var cx = ox + x;
                    if (cx < 0 || cx >= side) continue;
                    var sx = Math.Min(skate.Width - 1, (int)(x / target));
                    if (flip) sx = skate.Width - 1 - sx;
                    var k = sy * skate.Width + sx;
                    if (skate.Mask[k]) row[cx] = skate.Pixels[k];
                }
            }
        });
        return output;
    }

    private static bool Close(Rgb24 a, Rgb24 b) =>
        Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B) <= Tolerance * 3 / 2;

    private static IEnumerable<int> BorderIndices(int w, int h)
    {
        for (var x = 0; x < w; x++) { yield return x; yield return (h - 1) * w + x; }
        for (var y = 1; y < h - 1; y++) { yield return y * w; yield return y * w + w - 1; }
    }

    private static IEnumerable<int> Neighbours(int x, int y, int w, int h)
    {
        if (x > 0) yield return y * w + x - 1;
        if (x < w - 1) yield return y * w + x + 1;
        if (y > 0) yield return (y - 1) * w + x;
        if (y < h - 1) yield return (y + 1) * w + x;
    }
}
