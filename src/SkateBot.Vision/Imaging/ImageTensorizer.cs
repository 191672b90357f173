using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// Turns loaded images into model input (planar float arrays; the trainer makes tensors of them)
/// and into the small encodings stored or shown in reports. None of these mutate their input.
/// </summary>
public static class ImageTensorizer
{
    /// <summary>
    /// Eval/inference preprocessing: resize so the shorter side is <paramref name="size"/>, then take the
    /// centre size×size square (fast.ai's validation Resize with ResizeMethod.Crop, and torchvision's
    /// Resize+CenterCrop without the 256 margin). Cropping keeps the aspect ratio, unlike squishing;
    /// the edges it drops rarely hold the skate, which photographers centre. Resampling is bilinear
    /// with antialiasing (ImageSharp's Triangle), as fast.ai uses PIL BILINEAR.
    /// Returns RGB planar (C, H, W) values in 0..1, length 3·size·size.
    /// </summary>
    public static float[] ToChw(Image<Rgb24> image, int size = 224)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (image.Width == size && image.Height == size) return ToChwExact(image);
        using var square = image.Clone(x => x.Resize(new ResizeOptions
        {
            Size = new Size(size, size),
            Mode = ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
            Sampler = KnownResamplers.Triangle,
        }));
        return ToChwExact(square);
    }

    /// <summary>RGB planar (C, H, W) floats in 0..1 of an image already at the model's input size.</summary>
    public static float[] ToChwExact(Image<Rgb24> imageAlreadySized)
    {
        ArgumentNullException.ThrowIfNull(imageAlreadySized);
        var width = imageAlreadySized.Width;
        var plane = width * imageAlreadySized.Height;
        var chw = new float[3 * plane];
        imageAlreadySized.ProcessPixelRows(rows =>
        {
            const float scale = 1f / 255f;
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var r = chw.AsSpan(y * width, width);
                var g = chw.AsSpan(plane + y * width, width);
                var b = chw.AsSpan(2 * plane + y * width, width);
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    r[x] = p.R * scale;
                    g[x] = p.G * scale;
                    b[x] = p.B * scale;
                }
            }
        });
        return chw;
    }

    /// <summary>PNG whose longest side is at most <paramref name="maxSide"/> (never enlarged), for report grids.</summary>
    public static byte[] ToThumbnailPng(Image<Rgb24> image, int maxSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var small = FitWithin(image, maxSide);
        using var output = new MemoryStream();
        small.Save(output, new PngEncoder());
        return output.ToArray();
    }

    /// <summary>
    /// JPEG (quality 90) with the longest side at most <paramref name="maxSide"/> and no metadata: EXIF
    /// can carry GPS position and camera serials of the sender, and ICC/XMP are not needed once pixels
    /// are upright sRGB-ish RGB. This is what gets stored for received images.
    /// </summary>
    public static byte[] NormalizedJpeg(Image<Rgb24> image, int maxSide = 512) => NormalizedCopy(image, maxSide).Jpeg;

    /// <summary><see cref="NormalizedJpeg"/> and the size of the picture it holds (what the image store records).</summary>
    public static (byte[] Jpeg, int Width, int Height) NormalizedCopy(Image<Rgb24> image, int maxSide = 512)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var small = FitWithin(image, maxSide);
        StripMetadata(small);
        using var output = new MemoryStream();
        small.Save(output, new JpegEncoder { Quality = 90 });
        return (output.ToArray(), small.Width, small.Height);
    }

    /// <summary>What <see cref="NormalizedJpeg"/> with <paramref name="maxSide"/> needs decoded: the longer side at maxSide.</summary>
    public static DecodeNeed StoredCopyNeed(int maxSide = 512) => new(1, maxSide);

    /// <summary>A copy scaled down (aspect kept) so neither side exceeds <paramref name="maxSide"/>.</summary>
    internal static Image<Rgb24> FitWithin(Image<Rgb24> image, int maxSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSide);
        var longest = Math.Max(image.Width, image.Height);
        if (longest <= maxSide) return image.Clone();
        var scale = (double)maxSide / longest;
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        return image.Clone(x => x.Resize(width, height, KnownResamplers.Bicubic));
    }

    private static void StripMetadata(Image<Rgb24> image)
    {
        image.Metadata.ExifProfile = null;
        image.Metadata.IccProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IptcProfile = null;
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.XmpProfile = null;
            frame.Metadata.IptcProfile = null;
        }
    }
}
