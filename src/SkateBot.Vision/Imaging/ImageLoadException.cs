namespace SkateBot.Vision.Imaging;

/// <summary>
/// An image could not be accepted. <see cref="Exception.Message"/> is one line, "&lt;source&gt;: &lt;reason&gt;",
/// safe to show to the person who sent the image (it names the file, never a server path).
/// </summary>
public sealed class ImageLoadException : Exception
{
    public ImageLoadException(string source, string reason, Exception? innerException = null, string? filePath = null)
        : base($"{OneLine(source)}: {OneLine(reason)}", innerException)
    {
        Source = OneLine(source);
        Reason = OneLine(reason);
        FilePath = filePath;
        base.Source = Source;
    }

    /// <summary>File name, URL or label the caller gave for the image.</summary>
    public new string Source { get; }

    /// <summary>Why it was rejected, without the source prefix.</summary>
    public string Reason { get; }

    /// <summary>Full path when the image was loaded from a file (for batch callers); null otherwise.</summary>
    public string? FilePath { get; }

    // Decoder messages sometimes span lines; the contract is a single line.
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
