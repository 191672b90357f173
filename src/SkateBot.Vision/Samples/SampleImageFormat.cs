namespace SkateBot.Vision.Samples;

/// <summary>How generated samples are encoded on disk.</summary>
public enum SampleImageFormat
{
    /// <summary>Lossless; about 100 KB per 224 px image once sensor noise is added.</summary>
    Png,

    /// <summary>Quality 90; about a ninth of the PNG size, used for the committed data/sample set.</summary>
    Jpeg,
}
