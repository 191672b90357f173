using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// A decoded image, possibly smaller than the photo (see <see cref="DecodeNeed"/>), with the photo's upright size in full
/// (<see cref="Width"/> × <see cref="Height"/>) and its format. Owns and disposes <see cref="Image"/>.
/// </summary>
public sealed record ScaledImage(Image<Rgb24> Image, int Width, int Height, string Format) : IDisposable
{
    public void Dispose() => Image.Dispose();
}
