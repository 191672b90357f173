using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Model;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

/// <summary>What one cache entry is the body's output for: which body, which image, which view of it.</summary>
/// <param name="BodyVersion">Hash of the body's weights and buffers and its input convention (<see cref="FeatureCache.BodyVersion"/>).</param>
/// <param name="ImageHash">Hash of the prepared image's pixels (<see cref="FeatureCache.ImageHash"/>).</param>
/// <param name="Variant">Which input was made from the image: the plain inference views or augmented view k (with the
/// options and seed that decide it).</param>
public sealed record FeatureKey(string BodyVersion, string ImageHash, string Variant)
{
    public override string ToString() => $"{BodyVersion}/{ImageHash}/{Variant}";
}

public sealed record FeatureCacheStats(int Hits, int Misses, int Corrupt, int Written, int Evicted);

/// <summary>
/// Frozen-body features on disk, so a retrain (or a second <c>train</c>) does not forward an image through an unchanged
/// body again: one small file per (body version, image, view variant) under <see cref="Directory"/>, e.g.
/// <c>data/cache/features/&lt;body16&gt;/&lt;ab&gt;/&lt;image&gt;.&lt;variant16&gt;.feat</c>.
/// <para>Each file carries its full key and a SHA-256 of its content: a truncated, corrupt or foreign file is a miss
/// (deleted, then recomputed), never an exception. Writes go to a temp file moved into place, so a crash or a concurrent
/// run leaves either the old entry or the new one. The cache is best-effort: a failed write (disk full, permissions) is
/// counted and training goes on. <see cref="Trim"/> keeps the total under <see cref="MaxBytes"/>, least recently used
/// first (a hit refreshes the file's write time).</para>
/// </summary>
public sealed class FeatureCache
{
    public const long DefaultMaxBytes = 256L * 1024 * 1024;
    public const string Extension = ".feat";
    private static readonly byte[] Magic = "SKFEAT1\n"u8.ToArray();
    private const int HashBytes = 32;
    private int hits, misses, corrupt, written, evicted;

    private readonly TimeProvider time;

    /// <param name="time">Stamps a hit's last use and ages leftover temp files (default: the system clock).</param>
    public FeatureCache(string directory, long maxBytes = DefaultMaxBytes, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        Directory = Path.GetFullPath(directory);
        MaxBytes = maxBytes;
    }

    public string Directory { get; }
    public long MaxBytes { get; }

    public FeatureCacheStats Stats => new(hits, misses, corrupt, written, evicted);

    public string PathOf(FeatureKey key)
    {
        var variant = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Variant)), 0, 8);
        return Path.Combine(Directory, Safe(key.BodyVersion)[..Math.Min(16, key.BodyVersion.Length)],
            Safe(key.ImageHash)[..2], $"{Safe(key.ImageHash)}.{variant}{Extension}");
    }

    /// <summary>The <paramref name="rows"/>×<paramref name="dim"/> features stored for <paramref name="key"/>, or null.</summary>
    public float[]? TryGet(FeatureKey key, int rows, int dim)
    {
        var path = PathOf(key);
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) { Interlocked.Increment(ref misses); return null; }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref misses);
            return null;
        }
        var features = Decode(bytes, key, rows, dim);
        if (features is null)
        {
            Interlocked.Increment(ref corrupt);
            Interlocked.Increment(ref misses);
            TryDelete(path);
            return null;
        }
        Interlocked.Increment(ref hits);
        try { File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* only the eviction order suffers */ }
        return features;
    }

    /// <summary>Stores <paramref name="features"/> (rows×dim, row-major) for <paramref name="key"/>; false if it could not be written.</summary>
    public bool Put(FeatureKey key, ReadOnlySpan<float> features, int rows, int dim)
    {
        if (features.Length != rows * dim) throw new ArgumentException($"{features.Length} values are not {rows}×{dim}.", nameof(features));
        var path = PathOf(key);
        var bytes = Encode(key, features, rows, dim);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            Interlocked.Increment(ref written);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return false;
        }
    }

    /// <summary>Deletes least recently used entries (and leftover temp files older than an hour) until the cache fits.</summary>
    public void Trim()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        var files = new List<FileInfo>();
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                if (file.Name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    if (file.LastWriteTimeUtc < time.GetUtcNow().UtcDateTime.AddHours(-1)) TryDelete(file.FullName);
                }
                else if (file.Name.EndsWith(Extension, StringComparison.Ordinal)) files.Add(file);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return; }
        var total = files.Sum(f => f.Length);
        foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
        {
            if (total <= MaxBytes) break;
            if (TryDelete(file.FullName)) { total -= file.Length; Interlocked.Increment(ref evicted); }
        }
    }

    /// <summary>Total bytes of the entries now on disk.</summary>
    public long SizeOnDisk() => System.IO.Directory.Exists(Directory)
        ? new DirectoryInfo(Directory).EnumerateFiles("*" + Extension, SearchOption.AllDirectories).Sum(f => f.Length)
        : 0;

    /// <summary>
    /// The body version: SHA-256 over every parameter and buffer of <paramref name="body"/> (names, types, shapes and
    /// values, in name order) and the input convention, so a fine-tuned body, a new import or another preprocessing
    /// convention never reads another body's features.
    /// </summary>
    internal static string BodyVersion(nn.Module body, InputConvention convention)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // detach() and cpu() each make a tensor handle that shares the weights' storage: undisposed they kept the body's
        // weights alive after the model was disposed (266 handles per run).
        using var scope = NewDisposeScope();
        var tensors = body.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(body.named_buffers()).OrderBy(t => t.Item1, StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            var cpu = tensor.detach().cpu().contiguous();
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}:{cpu.dtype}:{string.Join('x', cpu.shape)};"));
            hash.AppendData(cpu.bytes);
        }
        using (var stream = new MemoryStream())
        {
            convention.WriteTo(stream);
            hash.AppendData(stream.ToArray());
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of the image's size and RGB pixels: what the body would be shown, whatever file it came from.</summary>
    public static string ImageHash(Image<Rgb24> image)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(size, image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(size[4..], image.Height);
        hash.AppendData(size);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++) hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.GetRowSpan(y)));
        });
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] Encode(FeatureKey key, ReadOnlySpan<float> features, int rows, int dim)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key.ToString());
        var length = Magic.Length + 4 + keyBytes.Length + 8 + features.Length * 4 + HashBytes;
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], keyBytes.Length); at += 4;
        keyBytes.CopyTo(span[at..]); at += keyBytes.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], rows); at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], dim); at += 4;
        foreach (var f in features) { BinaryPrimitives.WriteSingleLittleEndian(span[at..], f); at += 4; }
        SHA256.HashData(span[..at], span[at..]);
        return bytes;
    }

    private static float[]? Decode(byte[] bytes, FeatureKey key, int rows, int dim)
    {
        var span = bytes.AsSpan();
        var keyBytes = Encoding.UTF8.GetBytes(key.ToString());
        var expected = Magic.Length + 4 + keyBytes.Length + 8 + rows * dim * 4 + HashBytes;
        if (bytes.Length != expected || !span[..Magic.Length].SequenceEqual(Magic)) return null;
        var content = span[..^HashBytes];
        Span<byte> sum = stackalloc byte[HashBytes];
        SHA256.HashData(content, sum);
        if (!sum.SequenceEqual(span[^HashBytes..])) return null;
        var at = Magic.Length;
        if (BinaryPrimitives.ReadInt32LittleEndian(span[at..]) != keyBytes.Length) return null;
        at += 4;
        if (!span.Slice(at, keyBytes.Length).SequenceEqual(keyBytes)) return null; // another key that shares the file name
        at += keyBytes.Length;
        if (BinaryPrimitives.ReadInt32LittleEndian(span[at..]) != rows || BinaryPrimitives.ReadInt32LittleEndian(span[(at + 4)..]) != dim) return null;
        at += 8;
        var features = new float[rows * dim];
        for (var i = 0; i < features.Length; i++, at += 4)
        {
            features[i] = BinaryPrimitives.ReadSingleLittleEndian(span[at..]);
            if (!float.IsFinite(features[i])) return null;
        }
        return features;
    }

    private static string Safe(string part) =>
        part.Length >= 2 && part.All(char.IsAsciiLetterOrDigit) ? part : throw new ArgumentException($"'{part}' is not a hash.");

    private static bool TryDelete(string path)
    {
        try { File.Delete(path); return true; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }
}
