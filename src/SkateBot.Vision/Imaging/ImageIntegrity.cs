using System.Buffers.Binary;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// Structural completeness checks run before decoding. ImageSharp 2.1 decodes a JPEG cut off in
/// its entropy-coded data without complaint (the missing blocks come out grey), and likewise GIF, WebP
/// and BMP files cut short (TIFF and PNG mostly fail on their own), so a half-uploaded photo would be classified, stored and trained on.
/// Walking the container structure to its end marker detects that reliably and cheaply (no pixels).
/// </summary>
internal static partial class ImageIntegrity
{
    /// <summary>Returns a reason when <paramref name="data"/> is incomplete, otherwise null.</summary>
    public static string? FindTruncation(ReadOnlySpan<byte> data, string format) => format switch
    {
        "JPEG" => JpegComplete(data) ? null : Truncated,
        "PNG" => PngComplete(data) ? null : Truncated,
        "GIF" => GifFirstFrameComplete(data) ? null : Truncated,
        "WebP" => WebpComplete(data) ? null : Truncated,
        "BMP" => BmpComplete(data) ? null : Truncated,
        _ => null,
    };

    public const string Truncated = "image data is truncated or corrupt";

    /// <summary>
    /// Follows JPEG markers (ITU-T T.81 annex B) from SOI to EOI: marker segments are skipped by their
    /// length, entropy-coded data after each SOS is scanned for the next marker (0xFF00 is a stuffed
    /// byte, 0xFFD0..D7 are restart markers). Progressive files have several scans; all must finish.
    /// Bytes after EOI (some cameras append data) are allowed.
    /// </summary>
    private static bool JpegComplete(ReadOnlySpan<byte> d)
    {
        if (d.Length < 4 || d[0] != 0xFF || d[1] != 0xD8) return false;
        var i = 2;
        while (true)
        {
            // Tolerate garbage between segments the way decoders do: seek the next 0xFF.
            var next = d[i..].IndexOf((byte)0xFF);
            if (next < 0) return false;
            i += next;
            while (i + 1 < d.Length && d[i + 1] == 0xFF) i++; // fill bytes
            if (i + 1 >= d.Length) return false;
            var marker = d[i + 1];
            i += 2;
            if (marker == 0xD9) return true;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8)) continue; // markers without a length
            if (i + 2 > d.Length) return false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(d[i..]);
            if (length < 2 || i + length > d.Length) return false;
            i += length;
            if (marker != 0xDA) continue;
            if (!SkipEntropyData(d, ref i)) return false;
        }
    }

    private static bool SkipEntropyData(ReadOnlySpan<byte> d, ref int i)
    {
        while (true)
        {
            var next = d[i..].IndexOf((byte)0xFF);
            if (next < 0 || i + next + 1 >= d.Length) return false;
            i += next;
            var b = d[i + 1];
            if (b == 0x00 || b is >= 0xD0 and <= 0xD7) { i += 2; continue; }
            if (b == 0xFF) { i++; continue; }
            return true; // i is at the next marker
        }
    }

    /// <summary>Walks PNG chunks (length, type, data, CRC) until IEND (PNG spec §5.3).</summary>
    private static bool PngComplete(ReadOnlySpan<byte> d)
    {
        long i = 8;
        while (i + 12 <= d.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(d[(int)i..]);
            var type = d.Slice((int)i + 4, 4);
            var end = i + 12 + length;
            if (end > d.Length) return false;
            if (type.SequenceEqual("IEND"u8)) return true;
            i = end;
        }
        return false;
    }
}
