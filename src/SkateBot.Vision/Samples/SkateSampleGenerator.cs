using SkiaSharp;

namespace SkateBot.Vision.Samples;

/// <summary>
/// Draws a deterministic synthetic photo set of aggressive and inline skates (side view), and on request an
/// <c>other</c> class of quad roller skates and ice skates (what the bot must answer "not an inline skate"), so a
/// fresh checkout has something to train and test on without the real photos. Same arguments, same bytes: every
/// image gets its own <see cref="Random"/> seeded from (seed, class, index); nothing reads the clock or a GUID.
/// Adding the <c>other</c> class changes no skate image.
/// </summary>
public static class SkateSampleGenerator
{
    /// <summary>Class folder names, the same as the real photo set's.</summary>
    public const string AggressiveClass = "aggressive_skates";

    public const string InlineClass = "inline_skates";

    public const int MinSize = 32;

    public const int MaxSize = 2048;

    /// <summary>Quads and ice skates: the folder name that makes a class "not an inline skate" in training.</summary>
    public const string OtherClass = SkateBot.Vision.Inference.Answering.OtherClass;

    /// <summary>The two skate classes, drawn by default.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = [AggressiveClass, InlineClass];

    /// <summary>The skate classes and <see cref="OtherClass"/>, drawn with <c>withOther: true</c>.</summary>
    public static IReadOnlyList<string> ClassNamesWithOther { get; } = [AggressiveClass, InlineClass, OtherClass];

    /// <summary>
    /// Writes <c>&lt;out&gt;/aggressive_skates/agg_000.jpg …</c> and <c>&lt;out&gt;/inline_skates/inl_000.jpg …</c>
    /// (<c>.png</c> with <see cref="SampleImageFormat.Png"/>), and with <paramref name="withOther"/> also
    /// <c>&lt;out&gt;/other/oth_000.jpg …</c>. JPEG is the default because the sensor noise makes
    /// PNGs about 100 KB each (16 MB for the committed 2 × 80 set, against 1.8 MB as JPEG quality 90).
    /// Earlier generated files (agg_*/inl_*/oth_* with a png or jpg extension) in those folders are removed first, so a
    /// smaller regeneration leaves no stale images behind; other files are left alone.
    /// </summary>
    public static void Generate(
        string outputDirectory, int perClass = 120, int seed = 1234, int size = 224, SampleImageFormat format = SampleImageFormat.Jpeg,
        bool withOther = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Validate(perClass, size, format);
        foreach (var className in Classes(withOther))
        {
            var folder = Path.Combine(outputDirectory, className);
            Directory.CreateDirectory(folder);
            foreach (var extension in (string[])["png", "jpg"])
            {
                foreach (var stale in Directory.EnumerateFiles(folder, $"{Prefix(className)}_*.{extension}"))
                {
                    File.Delete(stale);
                }
            }
        }

        foreach (var sample in Enumerate(perClass, seed, size, format, withOther))
        {
            File.WriteAllBytes(Path.Combine(outputDirectory, sample.ClassName, sample.FileName), sample.Data);
        }
    }

    /// <summary>The same images as <see cref="Generate"/>, in memory, aggressive first; lazily rendered.</summary>
    public static IEnumerable<SkateSample> Enumerate(
        int perClass = 120, int seed = 1234, int size = 224, SampleImageFormat format = SampleImageFormat.Jpeg,
        bool withOther = false)
    {
        Validate(perClass, size, format);
        return Iterate();

        IEnumerable<SkateSample> Iterate()
        {
            var encoding = format == SampleImageFormat.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
            var extension = format == SampleImageFormat.Png ? "png" : "jpg";
            foreach (var className in Classes(withOther))
            {
                for (int index = 0; index < perClass; index++)
                {
                    using var bitmap = Render(className, index, seed, size);
                    using var data = bitmap.Encode(encoding, format == SampleImageFormat.Png ? 100 : 90);
                    yield return new SkateSample(className, $"{Prefix(className)}_{index:D3}.{extension}", data.ToArray());
                }
            }
        }
    }

    /// <summary>Renders one image (the caller disposes it); the same arguments always give the same pixels.</summary>
    public static SKBitmap Render(string className, int index, int seed, int size = 224)
    {
        int classIndex = ClassIndex(className);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Validate(1, size, SampleImageFormat.Png);
        var rng = new Random(ImageSeed(seed, classIndex, index));
        return SkateScene.Render(classIndex, rng, size);
    }

    /// <summary>SplitMix64 finaliser: neighbouring (seed, class, index) triples get unrelated streams.</summary>
    private static int ImageSeed(int seed, int classIndex, int index)
    {
        unchecked
        {
            ulong z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)classIndex << 24) ^ (uint)index;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }

    private static int ClassIndex(string className) => className switch
    {
        AggressiveClass => 0,
        InlineClass => 1,
        OtherClass => 2,
        _ => throw new ArgumentException(
            $"Unknown class '{className}'; expected '{AggressiveClass}', '{InlineClass}' or '{OtherClass}'.", nameof(className)),
    };

    /// <summary>The class folders <see cref="Generate"/> draws: <see cref="ClassNamesWithOther"/> or <see cref="ClassNames"/>.</summary>
    public static IReadOnlyList<string> Classes(bool withOther) => withOther ? ClassNamesWithOther : ClassNames;

    private static string Prefix(string className) => className switch
    {
        AggressiveClass => "agg",
        InlineClass => "inl",
        _ => "oth",
    };

    private static void Validate(int perClass, int size, SampleImageFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown sample image format.");
        }
    }
}
