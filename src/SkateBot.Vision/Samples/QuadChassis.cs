using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// Quad roller skate (the drawn <c>other</c> class): a plate along the sole, two trucks, one pair of wheels under
/// the heel and one under the toe (the far wheel of each pair peeks out behind the near one) and, most of the time,
/// a toe stop. The boot is the same as the inline classes' boot, as on real quads: only what is under it differs.
/// </summary>
internal sealed class QuadChassis : IChassis
{
    private readonly Wheel[] _near;
    private readonly Wheel[] _far;
    private readonly float _plateTop, _plateBottom;
    private readonly bool _toeStop;

    public QuadChassis(Random rng)
    {
        // Quad wheels (57–65 mm) sit between aggressive and inline sizes; two pairs, far apart, at heel and toe.
        float radius = rng.Range(0.1, 0.135);
        float rear = rng.Range(0.1, 0.2);
        float front = rng.Range(0.78, 0.88);
        float truck = rng.Range(0.06, 0.11);
        _plateBottom = -((2 * radius) + truck);
        _plateTop = _plateBottom - rng.Range(0.025, 0.045);
        BootBottom = _plateTop + 0.005f;
        _near = [new(rear, -radius, radius), new(front, -radius, radius)];
        float dx = rng.Range(0.02, 0.05);
        float dy = -rng.Range(0.015, 0.03);
        _far = [new(rear + dx, -radius + dy, radius), new(front + dx, -radius + dy, radius)];
        _toeStop = rng.Chance(0.8);
    }

    public float BootBottom { get; }

    public float MinX => Math.Min(_near[0].X - _near[0].Radius, -0.06f);

    public float MaxX => Math.Max(_far[1].X + _far[1].Radius + (_toeStop ? 0.08f : 0f), 1.04f);

    public void DrawUnderBoot(SKCanvas canvas, SkateColours colours)
    {
        var farColours = colours with { Wheel = colours.Wheel.Shade(0.7f), Hub = colours.Hub.Shade(0.7f) };
        foreach (var wheel in _far)
        {
            wheel.Draw(canvas, farColours);
        }

        using var paint = new SKPaint { IsAntialias = true, Color = colours.Frame };
        foreach (var wheel in _near)
        {
            // The truck: a hanger from the plate down to the axle.
            using var hanger = new SKPath();
            hanger.MoveTo(wheel.X - 0.07f, _plateBottom);
            hanger.LineTo(wheel.X + 0.07f, _plateBottom);
            hanger.LineTo(wheel.X + 0.025f, wheel.Y);
            hanger.LineTo(wheel.X - 0.025f, wheel.Y);
            hanger.Close();
            canvas.DrawPath(hanger, paint);
        }

        foreach (var wheel in _near)
        {
            wheel.Draw(canvas, colours);
            wheel.DrawBolt(canvas, colours);
        }

        if (_toeStop)
        {
            // A rubber stopper under the toe, angled forwards, reaching almost to the ground.
            paint.Color = colours.Plate;
            canvas.Save();
            canvas.RotateDegrees(-20, 0.98f, _plateBottom);
            canvas.DrawRoundRect(0.93f, _plateBottom - 0.01f, 0.11f, (-_plateBottom) * 0.8f, 0.03f, 0.03f, paint);
            canvas.Restore();
        }

        paint.Color = colours.Frame.Shade(0.8f);
        canvas.DrawRoundRect(0.0f, _plateTop, 1.0f, _plateBottom - _plateTop, 0.01f, 0.01f, paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.008f;
        paint.Color = colours.Frame.Outline();
        canvas.DrawRoundRect(0.0f, _plateTop, 1.0f, _plateBottom - _plateTop, 0.01f, 0.01f, paint);
    }

    public void DrawOverBoot(SKCanvas canvas, SkateColours colours)
    {
        // The boot sits on the plate; nothing covers the sole.
    }
}
