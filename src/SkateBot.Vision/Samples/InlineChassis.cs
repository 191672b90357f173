using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// Recreational/fitness/speed inline skate: a long, high frame that reaches past the boot's heel and toe,
/// three or four large wheels evenly spaced, the boot carried on two mounting towers, sometimes a heel brake.
/// </summary>
internal sealed class InlineChassis : IChassis
{
    private readonly Wheel[] _wheels;
    private readonly float _railLeft, _railRight, _railTop, _railBottom;
    private readonly float _heelTower, _toeTower, _towerWidth;
    private readonly bool _brake;

    public InlineChassis(Random rng)
    {
        int count = rng.Chance(0.35) ? 3 : 4;
        // Inline wheels are big (80–110 mm on a real skate): clearly larger than aggressive ones relative to the boot.
        float radius = count == 3 ? rng.Range(0.22, 0.25) : rng.Range(0.19, 0.21);
        float gap = rng.Range(0.015, 0.04);
        float span = (count * 2 * radius) + ((count - 1) * gap);
        float first = rng.Range(0.46, 0.54) - (span / 2) + radius;
        _wheels = new Wheel[count];
        for (int i = 0; i < count; i++)
        {
            _wheels[i] = new Wheel(first + (i * ((2 * radius) + gap)), -radius, radius);
        }

        _railLeft = first - (radius * rng.Range(0.45, 0.7));
        _railRight = _wheels[^1].X + (radius * rng.Range(0.45, 0.7));
        _railBottom = -radius + (radius * rng.Range(0.1, 0.3));
        _railTop = -radius - (radius * rng.Range(0.35, 0.6));
        BootBottom = -((2 * radius) + rng.Range(0.05, 0.11));
        _heelTower = rng.Range(0.12, 0.2);
        _toeTower = rng.Range(0.68, 0.78);
        _towerWidth = rng.Range(0.12, 0.18);
        _brake = rng.Chance(0.3);
    }

    public float BootBottom { get; }

    public float MinX => Math.Min(_railLeft - (_brake ? 0.12f : 0f), -0.06f);

    public float MaxX => Math.Max(_railRight, 1.04f);

    public void DrawUnderBoot(SKCanvas canvas, SkateColours colours)
    {
        if (_brake)
        {
            DrawBrake(canvas, colours);
        }

        foreach (var wheel in _wheels)
        {
            wheel.Draw(canvas, colours);
        }

        using var frame = new SKPath();
        float r = (_railBottom - _railTop) / 2;
        frame.AddRoundRect(new SKRect(_railLeft, _railTop, _railRight, _railBottom), r, r);
        AddTower(frame, _heelTower);
        AddTower(frame, _toeTower);
        using var simplified = frame.Simplify() ?? new SKPath(frame);

        using var paint = new SKPaint { IsAntialias = true, Color = colours.Frame };
        canvas.DrawPath(simplified, paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.008f;
        paint.Color = colours.Frame.Outline();
        canvas.DrawPath(simplified, paint);

        foreach (var wheel in _wheels)
        {
            wheel.DrawBolt(canvas, colours);
        }
    }

    public void DrawOverBoot(SKCanvas canvas, SkateColours colours)
    {
        // Inline boots sit directly on the frame's mounting plates; nothing covers the sole.
    }

    /// <summary>A tower flares from its mount under the sole down into the rail, leaving a window between towers.</summary>
    private void AddTower(SKPath path, float centre)
    {
        float top = BootBottom - 0.01f;
        float half = _towerWidth / 2;
        path.MoveTo(centre - half, top);
        path.LineTo(centre + half, top);
        path.LineTo(centre + (half * 1.6f), _railTop + 0.01f);
        path.LineTo(centre - (half * 1.6f), _railTop + 0.01f);
        path.Close();
    }

    private void DrawBrake(SKCanvas canvas, SkateColours colours)
    {
        var rear = _wheels[0];
        using var paint = new SKPaint { IsAntialias = true, Color = colours.Frame.Shade(0.8f) };
        using var arm = new SKPath();
        arm.MoveTo(_railLeft + 0.05f, _railTop);
        arm.LineTo(_railLeft - 0.07f, rear.Y - (rear.Radius * 0.9f));
        arm.LineTo(_railLeft - 0.09f, rear.Y - (rear.Radius * 0.3f));
        arm.LineTo(_railLeft + 0.05f, _railBottom);
        arm.Close();
        canvas.DrawPath(arm, paint);

        paint.Color = new SKColor(40, 40, 42);
        canvas.Save();
        canvas.RotateDegrees(-25, _railLeft - 0.08f, -rear.Radius * 0.45f);
        canvas.DrawRoundRect(_railLeft - 0.13f, -rear.Radius * 0.9f, 0.1f, rear.Radius * 0.8f, 0.02f, 0.02f, paint);
        canvas.Restore();
    }
}
