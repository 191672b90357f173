using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// Loads untrusted images under <see cref="ImageLimits"/>. Checks run cheapest first and all before
/// decoding: byte size, empty file, format and dimensions from the header (Image.Identify), pixel
/// count, structural completeness. Only then are pixels decoded, turned upright (EXIF orientation),
/// reduced to the first frame, flattened onto white and converted to Rgb24.
/// Every failure is an <see cref="ImageLoadException"/>; no ImageSharp exception escapes.
/// </summary>
public sealed class ImageLoader(ImageLimits limits)
{
    private readonly ImageLimits _limits = limits.Validate();

    public ImageLoader() : this(new ImageLimits()) { }

    public ImageLimits Limits => _limits;

    public Image<Rgb24> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = Path.GetFileName(path);
        var data = ReadFile(path, source);
        try { return Load(data, source); }
        catch (ImageLoadException ex) { throw WithPath(ex, path); }
    }

    public Image<Rgb24> Load(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        var info = Inspect(data, source);
        return ImageDecoding.Decode(data, info.Format, source, DecodeNeed.Full);
    }

    /// <summary>
    /// Like <see cref="Load(byte[], string)"/>, but a JPEG is decoded only as large as <paramref name="need"/> requires
    /// (1/2, 1/4 or 1/8 scale), so one decode can feed the model input and the stored copy. The result also carries
    /// the photo's upright size in full, which the decoded image may be smaller than.
    /// </summary>
    public ScaledImage Load(byte[] data, string source, DecodeNeed need)
    {
        ArgumentNullException.ThrowIfNull(data);
        var info = Inspect(data, source);
        return new ScaledImage(ImageDecoding.Decode(data, info.Format, source, need), info.Width, info.Height, info.Format);
    }

    /// <inheritdoc cref="Load(byte[], string, DecodeNeed)"/>
    public ScaledImage Load(string path, DecodeNeed need)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = Path.GetFileName(path);
        var data = ReadFile(path, source);
        try { return Load(data, source, need); }
        catch (ImageLoadException ex) { throw WithPath(ex, path); }
    }

    public Image<Rgb24> Load(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(ReadBounded(stream, source), source);
    }

    /// <summary>
    /// Runs every check except decoding and returns the upright dimensions (EXIF orientations 5–8
    /// swap width and height) and the format name. For a downloader deciding whether to keep bytes.
    /// </summary>
    public (int Width, int Height, string Format) Inspect(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckByteCount(data.LongLength, source);
        if (data.Length == 0) throw new ImageLoadException(source, "file is empty");
        var info = ImageIdentification.Identify(data, source);
        var pixels = (long)info.Width * info.Height;
        if (pixels > _limits.MaxPixels)
        {
            throw new ImageLoadException(source,
                $"image is {info.Width}x{info.Height} ({Units.Megapixels(pixels)}), above the {Units.PixelLimit(_limits.MaxPixels)} limit");
        }
        var truncation = ImageIntegrity.FindTruncation(data, info.Format);
        if (truncation is not null) throw new ImageLoadException(source, truncation);
        return info;
    }

    /// <summary>Format and upright dimensions from the header only; no limits applied.</summary>
    public static (int Width, int Height, string Format) Identify(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0) throw new ImageLoadException(source, "file is empty");
        return ImageIdentification.Identify(data, source);
    }

    /// <summary>Loads each path; a bad file becomes an entry in Failed and never stops the batch.</summary>
    public (IReadOnlyList<(string Path, Image<Rgb24> Image)> Loaded, IReadOnlyList<ImageLoadException> Failed) LoadBatch(
        IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var loaded = new List<(string, Image<Rgb24>)>();
        var failed = new List<ImageLoadException>();
        foreach (var path in paths)
        {
            try { loaded.Add((path, Load(path))); }
            catch (ImageLoadException ex) { failed.Add(ex); }
        }
        return (loaded, failed);
    }

    private byte[] ReadFile(string path, string source)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists) throw new ImageLoadException(source, "file not found", filePath: path);
            CheckByteCount(file.Length, source);
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageLoadException(source, $"file cannot be read ({ex.Message})", ex, path);
        }
        catch (ImageLoadException ex) { throw WithPath(ex, path); }
    }

    /// <summary>Reads at most MaxBytes + 1 so an endless or huge stream is refused without buffering it.</summary>
    private byte[] ReadBounded(Stream stream, string source)
    {
        if (stream.CanSeek) CheckByteCount(stream.Length - stream.Position, source);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            CheckByteCount(buffer.Length, source);
        }
        return buffer.ToArray();
    }

    private void CheckByteCount(long bytes, string source)
    {
        if (bytes > _limits.MaxBytes)
        {
            throw new ImageLoadException(source, $"file is {Units.Bytes(bytes)}, above the {Units.Bytes(_limits.MaxBytes)} limit");
        }
    }

    private static ImageLoadException WithPath(ImageLoadException ex, string path) =>
        ex.FilePath is not null ? ex : new ImageLoadException(ex.Source, ex.Reason, ex.InnerException, path);
}
