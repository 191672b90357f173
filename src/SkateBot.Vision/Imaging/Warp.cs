using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// The affine map of one augmentation: output pixel centre p (relative to the output centre) goes to
/// source point C + M·p, where M undoes the crop scale, flip and rotation. Rotation happens in the
/// output's square space, i.e. after the aspect change, as in fast.ai's batch affine transforms.
/// </summary>
internal sealed class Warp
{
    private readonly int _size;
    private readonly double _cx, _cy, _m00, _m01, _m10, _m11;

    public Warp(AugmentPlan plan, int size)
    {
        _size = size;
        ScaleX = size / plan.CropWidth;
        ScaleY = size / plan.CropHeight;
        var radians = plan.AngleDegrees * Math.PI / 180;
        var (sin, cos) = Math.SinCos(radians);
        var flip = plan.Flip ? -1.0 : 1.0;
        _m00 = cos * flip / ScaleX;
        _m01 = -sin / ScaleX;
        _m10 = sin * flip / ScaleY;
        _m11 = cos / ScaleY;
        _cx = plan.CropX + plan.CropWidth / 2;
        _cy = plan.CropY + plan.CropHeight / 2;
    }

    /// <summary>Output pixels per source pixel along each axis.</summary>
    public double ScaleX { get; }
    public double ScaleY { get; }

    /// <summary>
    /// Source rectangle holding every point the warp reads, with a margin for the bilinear neighbours,
    /// clipped to the image. Where it is clipped, sampling reflects at the image edge.
    /// </summary>
    public Rectangle SourceRegion(int width, int height)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        var half = _size / 2.0;
        foreach (var (px, py) in new[] { (-half, -half), (half, -half), (-half, half), (half, half) })
        {
            var (x, y) = Map(px, py);
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        var marginX = (int)Math.Ceiling(2 / ScaleX) + 1;
        var marginY = (int)Math.Ceiling(2 / ScaleY) + 1;
        var x0 = Math.Clamp((int)Math.Floor(minX) - marginX, 0, width - 1);
        var y0 = Math.Clamp((int)Math.Floor(minY) - marginY, 0, height - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(maxX) + marginX, x0 + 1, width);
        var y1 = Math.Clamp((int)Math.Ceiling(maxY) + marginY, y0 + 1, height);
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>
    /// Bilinear samples of <paramref name="pixels"/> (the region resized to w×h) at every output pixel.
    /// Returns interleaved RGB floats in 0..255, row-major, size×size.
    /// </summary>
    public float[] Sample(Rgb24[] pixels, int w, int h, Rectangle region)
    {
        var scaleX = w / (double)region.Width;
        var scaleY = h / (double)region.Height;
        var output = new float[_size * _size * 3];
        var half = _size / 2.0;
        var o = 0;
        for (var y = 0; y < _size; y++)
        {
            for (var x = 0; x < _size; x++, o += 3)
            {
                var (sx, sy) = Map(x + 0.5 - half, y + 0.5 - half);
                var u = (sx - region.X) * scaleX - 0.5;
                var v = (sy - region.Y) * scaleY - 0.5;
                var u0 = (int)Math.Floor(u);
                var v0 = (int)Math.Floor(v);
                var fu = (float)(u - u0);
                var fv = (float)(v - v0);
                int xa = Reflect(u0, w), xb = Reflect(u0 + 1, w), ya = Reflect(v0, h) * w, yb = Reflect(v0 + 1, h) * w;
                Rgb24 p00 = pixels[ya + xa], p01 = pixels[ya + xb], p10 = pixels[yb + xa], p11 = pixels[yb + xb];
                output[o] = Lerp2(p00.R, p01.R, p10.R, p11.R, fu, fv);
                output[o + 1] = Lerp2(p00.G, p01.G, p10.G, p11.G, fu, fv);
                output[o + 2] = Lerp2(p00.B, p01.B, p10.B, p11.B, fu, fv);
            }
        }
        return output;
    }

    private (double X, double Y) Map(double px, double py) =>
        (_cx + _m00 * px + _m01 * py, _cy + _m10 * px + _m11 * py);

    private static float Lerp2(byte a, byte b, byte c, byte d, float fu, float fv)
    {
        var top = a + (b - a) * fu;
        var bottom = c + (d - c) * fu;
        return top + (bottom - top) * fv;
    }

    /// <summary>Mirror index into 0..n−1 with the edge pixel repeated (…2 1 0 | 0 1 2… ).</summary>
    internal static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        var period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }
}
