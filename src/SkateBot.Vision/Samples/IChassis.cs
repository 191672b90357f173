using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>What sits under the boot: wheels and frame (and for aggressive skates the soul plate).</summary>
internal interface IChassis
{
    /// <summary>y of the boot's sole (negative: above the ground).</summary>
    float BootBottom { get; }

    float MinX { get; }

    float MaxX { get; }

    /// <summary>Wheels and frame, drawn before the boot.</summary>
    void DrawUnderBoot(SKCanvas canvas, SkateColours colours);

    /// <summary>Parts that cover the boot's lower edge (soul plate), drawn after the boot.</summary>
    void DrawOverBoot(SKCanvas canvas, SkateColours colours);
}
