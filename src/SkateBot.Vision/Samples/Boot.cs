using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// A skate boot in side view, toe to the right, heel at x = 0, toe at x = 1. Shape and details (cuff, buckles,
/// laces, toe cap) come from one distribution for both classes: the class lives in the chassis.
/// </summary>
internal sealed class Boot
{
    private readonly float _height, _toeHeight, _shin, _lean;
    private readonly bool _cuff, _buckle, _laces, _toeCap, _powerStrap, _collar, _shading;

    public Boot(Random rng)
    {
        _height = rng.Range(0.82, 1.1);
        _toeHeight = rng.Range(0.24, 0.34);
        _shin = rng.Range(0.48, 0.58);
        _lean = rng.Range(0.0, 0.1);
        _cuff = rng.Chance(0.75);
        _buckle = rng.Chance(0.7);
        _laces = rng.Chance(0.65);
        _toeCap = rng.Chance(0.4);
        _powerStrap = rng.Chance(0.4);
        _collar = rng.Chance(0.7);
        _shading = rng.Chance(0.7);
    }

    /// <summary>Height above the sole, in boot lengths (for the bounding box).</summary>
    public float Height => _height + 0.05f;

    public void Draw(SKCanvas canvas, float bottom, SkateColours colours)
    {
        using var paint = new SKPaint { IsAntialias = true };
        if (_collar)
        {
            paint.Color = colours.Liner;
            canvas.DrawOval(0.05f + ((_shin + _lean) / 2), bottom - _height, 0.26f, 0.05f, paint);
        }

        using var outline = Outline(bottom);
        paint.Color = colours.Boot;
        canvas.DrawPath(outline, paint);

        canvas.Save();
        canvas.ClipPath(outline, SKClipOperation.Intersect, antialias: true);
        DrawClippedDetails(canvas, paint, bottom, colours);
        if (_laces)
        {
            DrawLaces(canvas, bottom, colours);
        }

        canvas.Restore();

        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 0.012f;
        paint.Color = colours.Boot.Outline();
        canvas.DrawPath(outline, paint);
    }

    private SKPath Outline(float b)
    {
        var p = new SKPath();
        p.MoveTo(0.02f, b);
        p.LineTo(0.93f, b);
        p.QuadTo(1.03f, b, 1.02f, b - 0.1f);
        p.QuadTo(1.0f, b - _toeHeight, 0.86f, b - _toeHeight);
        p.CubicTo(0.72f, b - _toeHeight - 0.02f, _shin + 0.08f, b - 0.4f, _shin, b - 0.55f);
        p.LineTo(_shin + _lean, b - _height);
        p.LineTo(0.04f + (_lean * 0.5f), b - _height - 0.02f);
        p.CubicTo(0.0f, b - 0.7f, 0.06f, b - 0.45f, -0.04f, b - 0.28f);
        p.QuadTo(-0.06f, b - 0.04f, 0.02f, b);
        p.Close();
        return p;
    }

    private void DrawClippedDetails(SKCanvas canvas, SKPaint paint, float b, SkateColours colours)
    {
        if (_shading)
        {
            // Light from the upper left: a soft gradient gives the flat shape some volume.
            using var shader = SKShader.CreateLinearGradient(
                new SKPoint(0, b - _height), new SKPoint(0.9f, b),
                [SKColors.White.WithAlpha(60), SKColors.Black.WithAlpha(70)], SKShaderTileMode.Clamp);
            paint.Shader = shader;
            canvas.DrawRect(-0.1f, b - _height - 0.1f, 1.2f, _height + 0.2f, paint);
            paint.Shader = null;
        }

        if (_cuff)
        {
            using var cuff = new SKPath();
            cuff.MoveTo(-0.1f, b - 0.4f);
            cuff.QuadTo(0.3f, b - 0.5f, _shin + 0.1f, b - 0.72f);
            cuff.LineTo(_shin + 0.2f, b - _height - 0.1f);
            cuff.LineTo(-0.1f, b - _height - 0.1f);
            cuff.Close();
            paint.Color = colours.Cuff;
            canvas.DrawPath(cuff, paint);
            paint.Color = colours.Buckle;
            canvas.DrawCircle(0.2f, b - 0.52f, 0.025f, paint);
        }

        if (_toeCap)
        {
            paint.Color = colours.Cuff.Shade(0.85f);
            canvas.DrawOval(1.0f, b - 0.05f, 0.2f, _toeHeight, paint);
        }

        if (_buckle)
        {
            DrawStrap(canvas, paint, b - (_height * 0.8f), colours);
        }

        if (_powerStrap)
        {
            DrawStrap(canvas, paint, b - 0.5f, colours);
        }

        paint.Color = colours.Sole;
        canvas.DrawRect(-0.1f, b - 0.035f, 1.2f, 0.04f, paint);
    }

    private void DrawStrap(SKCanvas canvas, SKPaint paint, float y, SkateColours colours)
    {
        canvas.Save();
        canvas.RotateDegrees(-12, 0.3f, y);
        paint.Color = colours.Cuff.Shade(0.5f);
        canvas.DrawRect(-0.1f, y - 0.035f, 1.0f, 0.07f, paint);
        paint.Color = colours.Buckle;
        canvas.DrawRoundRect(_shin - 0.06f, y - 0.045f, 0.1f, 0.09f, 0.015f, 0.015f, paint);
        canvas.Restore();
    }

    private void DrawLaces(SKCanvas canvas, float b, SkateColours colours)
    {
        // Criss-cross laces just inside the instep edge, from the toe box up towards the shin (clipped to the boot).
        using var paint = new SKPaint
        {
            IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.02f, Color = colours.Laces,
            StrokeCap = SKStrokeCap.Round,
        };
        var from = new SKPoint(0.8f, b - _toeHeight + 0.03f);
        var to = new SKPoint(_shin - 0.03f, b - 0.62f);
        const int Crossings = 5;
        for (int i = 0; i < Crossings; i++)
        {
            float t = (i + 0.5f) / Crossings;
            float x = from.X + ((to.X - from.X) * t);
            float y = from.Y + ((to.Y - from.Y) * t);
            canvas.DrawLine(x - 0.04f, y - 0.02f, x + 0.02f, y + 0.03f, paint);
            canvas.DrawLine(x - 0.04f, y + 0.03f, x + 0.02f, y - 0.02f, paint);
        }
    }
}
