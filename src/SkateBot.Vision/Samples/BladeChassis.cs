using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// Ice skate (the drawn <c>other</c> class): no wheels at all, a thin steel blade with a rocker, longer than the
/// boot, held by a heel and a toe stanchion; figure blades have toe picks at the front.
/// </summary>
internal sealed class BladeChassis : IChassis
{
    private readonly float _height, _bladeLeft, _bladeRight, _bladeThickness, _rocker;
    private readonly bool _toePicks;
    private readonly SKColor _steel;

    public BladeChassis(Random rng)
    {
        _height = rng.Range(0.1, 0.17);
        _bladeThickness = rng.Range(0.03, 0.05);
        _rocker = rng.Range(0.01, 0.03);
        _bladeLeft = rng.Range(-0.08, 0.0);
        _bladeRight = rng.Range(1.02, 1.12);
        _toePicks = rng.Chance(0.5);
        byte grey = (byte)rng.Next(150, 225);
        _steel = new SKColor(grey, grey, (byte)Math.Min(255, grey + 8));
        BootBottom = -_height;
    }

    public float BootBottom { get; }

    public float MinX => Math.Min(_bladeLeft, -0.06f);

    public float MaxX => Math.Max(_bladeRight, 1.04f);

    public void DrawUnderBoot(SKCanvas canvas, SkateColours colours)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = colours.Frame };
        foreach (var (centre, width) in (ReadOnlySpan<(float, float)>)[(0.14f, 0.2f), (0.74f, 0.28f)])
        {
            using var stanchion = new SKPath();
            stanchion.MoveTo(centre - (width / 2), BootBottom);
            stanchion.LineTo(centre + (width / 2), BootBottom);
            stanchion.LineTo(centre + (width / 4), -_bladeThickness);
            stanchion.LineTo(centre - (width / 4), -_bladeThickness);
            stanchion.Close();
            canvas.DrawPath(stanchion, paint);
        }

        using var blade = new SKPath();
        blade.MoveTo(_bladeLeft, -_bladeThickness);
        blade.LineTo(_bladeRight - 0.04f, -_bladeThickness);
        blade.QuadTo(_bladeRight, -_bladeThickness, _bladeRight, -_bladeThickness * 0.3f);
        blade.QuadTo(_bladeRight - 0.02f, 0, _bladeRight - 0.1f, 0);
        blade.QuadTo(0.5f, _rocker, _bladeLeft + 0.05f, 0);
        blade.QuadTo(_bladeLeft, 0, _bladeLeft, -_bladeThickness * 0.5f);
        blade.Close();
        paint.Color = _steel;
        canvas.DrawPath(blade, paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.006f;
        paint.Color = _steel.Outline();
        canvas.DrawPath(blade, paint);

        if (_toePicks)
        {
            paint.Style = SKPaintStyle.Fill;
            paint.Color = _steel.Shade(0.85f);
            using var picks = new SKPath();
            float x = _bladeRight - 0.02f;
            picks.MoveTo(x, -_bladeThickness);
            for (int i = 0; i < 3; i++)
            {
                picks.LineTo(x + 0.025f, -_bladeThickness + (0.02f * (i + 0.5f)));
                picks.LineTo(x, -_bladeThickness + (0.02f * (i + 1)));
            }

            picks.Close();
            canvas.DrawPath(picks, paint);
        }
    }

    public void DrawOverBoot(SKCanvas canvas, SkateColours colours)
    {
        // The blade is screwed to the sole; nothing covers it.
    }
}
