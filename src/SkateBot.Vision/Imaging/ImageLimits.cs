namespace SkateBot.Vision.Imaging;

/// <summary>
/// Upper bounds checked before an image is decoded. A small file can declare a huge canvas (a
/// "decompression bomb"), so the pixel count is checked from the header, not after decoding.
/// </summary>
/// <param name="MaxPixels">Largest width × height accepted (default 40 megapixels).</param>
/// <param name="MaxBytes">Largest encoded size accepted (default 20 MiB).</param>
public sealed record ImageLimits(long MaxPixels = 40_000_000, long MaxBytes = 20 * 1024 * 1024)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a limit is not positive.</summary>
    public ImageLimits Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBytes);
        return this;
    }
}
