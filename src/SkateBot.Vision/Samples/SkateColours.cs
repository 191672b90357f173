using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>The colours of one skate, drawn from the same distribution for both classes.</summary>
internal sealed record SkateColours(
    SKColor Boot,
    SKColor Cuff,
    SKColor Liner,
    SKColor Sole,
    SKColor Frame,
    SKColor Wheel,
    SKColor Hub,
    SKColor Plate,
    SKColor Laces,
    SKColor Buckle)
{
    public static SkateColours Pick(Random rng)
    {
        var boot = rng.AnyColour();
        return new SkateColours(
            Boot: boot,
            Cuff: rng.Chance(0.5) ? boot.Shade(rng.Range(0.6, 1.2)) : rng.AnyColour(),
            Liner: rng.AnyColour(),
            Sole: rng.Chance(0.7) ? new SKColor(30, 30, 32) : rng.AnyColour(),
            Frame: rng.AnyColour(),
            Wheel: rng.AnyColour(),
            Hub: rng.AnyColour(),
            Plate: rng.AnyColour(),
            Laces: rng.AnyColour(),
            Buckle: rng.Chance(0.6) ? new SKColor(170, 172, 178) : rng.AnyColour());
    }
}
