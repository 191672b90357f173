namespace SkateBot.Vision.Export;

/// <summary>
/// The exported graph of a checkpoint, kept next to it as <c>&lt;checkpoint&gt;.&lt;format&gt;-&lt;hash&gt;.onnx</c>: the key is the
/// checkpoint's content hash and the exporter's <see cref="SkateNetOnnxExporter.FormatTag"/>, so a rewritten checkpoint or
/// a changed exporter never reuses a stale graph. Written to a temp file and renamed; an unwritable folder only means the
/// export is redone at the next load.
/// </summary>
public static class OnnxExportCache
{
    /// <param name="format">The exporter's format tag (<see cref="SkateNetQdqExporter.FormatTag"/> for the int8 graph).</param>
    public static string PathFor(string checkpointPath, string checkpointHash, string format = SkateNetOnnxExporter.FormatTag) =>
        $"{checkpointPath}.{format}-{checkpointHash[..16]}.onnx";

    /// <summary>The format tags today's exporters write: a cached graph of another tag is stale.</summary>
    private static readonly string[] CurrentFormats = [SkateNetOnnxExporter.FormatTag, SkateNetQdqExporter.FormatTag];

    /// <summary>The cached graph of this checkpoint content, or null when there is none (or it cannot be read).</summary>
    public static byte[]? TryRead(string checkpointPath, string checkpointHash, string format = SkateNetOnnxExporter.FormatTag)
    {
        var path = PathFor(checkpointPath, checkpointHash, format);
        try
        {
            return File.Exists(path) && File.ReadAllBytes(path) is { Length: > 0 } cached ? cached : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="graph"/> for the next load; an unwritable folder is not an error.</summary>
    public static void Write(string checkpointPath, string checkpointHash, byte[] graph, string format = SkateNetOnnxExporter.FormatTag) =>
        TryWrite(checkpointPath, PathFor(checkpointPath, checkpointHash, format), graph);

    private static void TryWrite(string checkpointPath, string path, byte[] graph)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(graph);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            // Older exports of the same checkpoint name (an overwritten checkpoint, an older exporter) are dead weight; the
            // current export in the other precision is not (the service may serve int8 while `predict` runs float).
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var prefix = Path.GetFileName(checkpointPath) + ".";
            var format = Path.GetFileName(path)[prefix.Length..].Split('-')[0];
            foreach (var other in Directory.EnumerateFiles(folder, prefix + "*.onnx"))
            {
                if (string.Equals(Path.GetFullPath(other), Path.GetFullPath(path), StringComparison.Ordinal)) continue;
                var tag = Path.GetFileName(other)[prefix.Length..].Split('-')[0];
                if (tag == format || !CurrentFormats.Contains(tag)) File.Delete(other);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
