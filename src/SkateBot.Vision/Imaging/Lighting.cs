namespace SkateBot.Vision.Imaging;

/// <summary>Brightness then contrast on interleaved RGB floats in 0..255 (torchvision ColorJitter order).</summary>
internal static class Lighting
{
    public static void Apply(float[] rgb, double brightness, double contrast)
    {
        if (brightness == 1 && contrast == 1) return;
        var b = (float)brightness;
        double greySum = 0;
        for (var i = 0; i < rgb.Length; i += 3)
        {
            rgb[i] = Math.Min(255f, rgb[i] * b);
            rgb[i + 1] = Math.Min(255f, rgb[i + 1] * b);
            rgb[i + 2] = Math.Min(255f, rgb[i + 2] * b);
            greySum += 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2]; // ITU-R BT.601 luma
        }
        if (contrast == 1) return;
        var mean = (float)(greySum / (rgb.Length / 3));
        var c = (float)contrast;
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = Math.Clamp((rgb[i] - mean) * c + mean, 0f, 255f);
        }
    }
}
