using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// Aggressive (street/park) skate: a low, short frame that stays under the boot, four small wheels (or two
/// small outer wheels and two tiny anti-rockers), the grind-block gap (H-block) between the middle wheels and
/// a soul plate under the boot.
/// </summary>
internal sealed class AggressiveChassis : IChassis
{
    private readonly Wheel[] _wheels;
    private readonly float _frameLeft, _frameRight, _frameTop, _frameBottom;
    private readonly float _channelLeft, _channelRight, _channelTop;
    private readonly float _plateThickness, _plateRaise;

    public AggressiveChassis(Random rng)
    {
        float outer = rng.Range(0.07, 0.085); // aggressive wheels are small (55–60 mm)
        float inner = rng.Chance(0.45) ? rng.Range(0.052, 0.068) : outer;
        float pairGap = rng.Range(0.006, 0.02);
        float grindGap = rng.Range(0.13, 0.2);
        float axle = -outer;

        float pairWidth = (2 * outer) + pairGap + (2 * inner);
        float total = (2 * pairWidth) + grindGap;
        float left = rng.Range(0.49, 0.53) - (total / 2);
        float x1 = left + outer;
        float x2 = x1 + outer + pairGap + inner;
        float x3 = x2 + inner + grindGap + inner;
        float x4 = x3 + inner + pairGap + outer;
        _wheels = [new(x1, axle, outer), new(x2, axle, inner), new(x3, axle, inner), new(x4, axle, outer)];

        _frameTop = -((2 * outer) + rng.Range(0.012, 0.03));
        _frameBottom = axle + (outer * rng.Range(0.15, 0.35));
        _frameLeft = x1 - (outer * rng.Range(0.55, 0.8));
        _frameRight = x4 + (outer * rng.Range(0.55, 0.8));
        _channelLeft = x2 + inner + 0.008f;
        _channelRight = x3 - inner - 0.008f;
        _channelTop = _frameTop + rng.Range(0.02, 0.032);

        _plateThickness = rng.Range(0.045, 0.065);
        _plateRaise = rng.Range(0.045, 0.085);
        BootBottom = _frameTop - (_plateThickness * 0.6f);
    }

    public float BootBottom { get; }

    public float MinX => Math.Min(_frameLeft, -0.06f);

    public float MaxX => Math.Max(_frameRight, 1.04f);

    public void DrawUnderBoot(SKCanvas canvas, SkateColours colours)
    {
        foreach (var wheel in _wheels)
        {
            wheel.Draw(canvas, colours);
        }

        using var frame = FramePath();
        using var paint = new SKPaint { IsAntialias = true, Color = colours.Frame };
        canvas.DrawPath(frame, paint);

        // The recessed grind channel: a darker band just above the gap reads as the H-block's groove.
        paint.Color = colours.Frame.Shade(0.6f);
        canvas.DrawRect(_channelLeft, _channelTop - 0.012f, _channelRight - _channelLeft, 0.012f, paint);

        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.008f;
        paint.Color = colours.Frame.Outline();
        canvas.DrawPath(frame, paint);

        foreach (var wheel in _wheels)
        {
            wheel.DrawBolt(canvas, colours);
        }
    }

    public void DrawOverBoot(SKCanvas canvas, SkateColours colours)
    {
        // Soul plate: a band along the sole, raised along the arch where soul grinds land.
        float bottom = _frameTop + 0.004f;
        float top = bottom - _plateThickness;
        float raised = top - _plateRaise;
        using var plate = new SKPath();
        plate.MoveTo(-0.05f, bottom);
        plate.LineTo(1.03f, bottom);
        plate.QuadTo(1.05f, top + 0.01f, 1.0f, top);
        plate.LineTo(0.78f, top);
        plate.QuadTo(0.72f, raised, 0.64f, raised);
        plate.LineTo(0.34f, raised);
        plate.QuadTo(0.26f, raised, 0.22f, top);
        plate.LineTo(-0.02f, top);
        plate.QuadTo(-0.07f, top + 0.01f, -0.05f, bottom);
        plate.Close();

        using var paint = new SKPaint { IsAntialias = true, Color = colours.Plate };
        canvas.DrawPath(plate, paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.008f;
        paint.Color = colours.Plate.Outline();
        canvas.DrawPath(plate, paint);
    }

    private SKPath FramePath()
    {
        float r = 0.03f;
        var path = new SKPath();
        path.MoveTo(_frameLeft + r, _frameTop);
        path.LineTo(_frameRight - r, _frameTop);
        path.QuadTo(_frameRight, _frameTop, _frameRight, _frameTop + r);
        path.LineTo(_frameRight, _frameBottom - r);
        path.QuadTo(_frameRight, _frameBottom, _frameRight - r, _frameBottom);
        // Bottom edge with the grind-block notch: the frame is cut away between the middle wheels.
        path.LineTo(_channelRight, _frameBottom);
        path.LineTo(_channelRight, _channelTop);
        path.LineTo(_channelLeft, _channelTop);
        path.LineTo(_channelLeft, _frameBottom);
        path.LineTo(_frameLeft + r, _frameBottom);
        path.QuadTo(_frameLeft, _frameBottom, _frameLeft, _frameBottom - r);
        path.LineTo(_frameLeft, _frameTop + r);
        path.QuadTo(_frameLeft, _frameTop, _frameLeft + r, _frameTop);
        path.Close();
        return path;
    }
}
