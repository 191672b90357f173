namespace SkateBot.Vision.Imaging;

/// <summary>
/// The smallest decoded size at which nothing downstream has to enlarge: the upright image's shorter side must be at
/// least <see cref="ShorterSide"/> and its longer side at least <see cref="LongerSide"/>. A JPEG can then be decoded
/// at 1/2, 1/4 or 1/8 scale (libjpeg-turbo's DCT scaling) instead of in full and resized afterwards. An image already
/// smaller than the need is decoded in full, never enlarged.
/// </summary>
public readonly record struct DecodeNeed(int ShorterSide, int LongerSide)
{
    /// <summary>Every pixel: the image exactly as stored (the default of <see cref="ImageLoader.Load(byte[], string)"/>).</summary>
    public static DecodeNeed Full { get; } = new(int.MaxValue, int.MaxValue);

    public bool IsFull => ShorterSide == int.MaxValue || LongerSide == int.MaxValue;

    /// <summary>Enough for both needs (one decode serves the model input and the stored copy).</summary>
    public DecodeNeed And(DecodeNeed other) =>
        new(Math.Max(ShorterSide, other.ShorterSide), Math.Max(LongerSide, other.LongerSide));

    /// <summary>Whether a <paramref name="width"/>×<paramref name="height"/> decode satisfies this need.</summary>
    public bool IsMetBy(int width, int height) =>
        Math.Min(width, height) >= ShorterSide && Math.Max(width, height) >= LongerSide;
}
