using System.Buffers.Binary;

namespace SkateBot.Vision.Imaging;

/// <summary>
/// Structural completeness checks run before decoding. ImageSharp 2.1 decodes a JPEG cut off in
/// its entropy-coded data without complaint (the missing blocks come out grey), and likewise GIF, WebP
/// and BMP files cut short (TIFF and PNG mostly fail on their own), so a half-uploaded photo would be classified, stored and trained on.
/// Walking the container structure to its end marker detects that reliably and cheaply (no pixels).
/// </summary>
internal static class ImageIntegrity
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

    /// <summary>
    /// Walks GIF89a blocks up to the end of the first image's LZW data (the only frame decoded).
    /// A file cut inside that frame would otherwise decode with its lower part blank.
    /// </summary>
    private static bool GifFirstFrameComplete(ReadOnlySpan<byte> d)
    {
        if (d.Length < 13) return false;
        var i = 13 + ColorTableSize(d[10]);
        while (i < d.Length)
        {
            switch (d[i])
            {
                case 0x21: // extension: introducer, label, sub-blocks
                    i += 2;
                    if (!SkipSubBlocks(d, ref i)) return false;
                    break;
                case 0x2C: // image descriptor, optional local table, LZW code size, sub-blocks
                    if (i + 10 > d.Length) return false;
                    i += 10 + ColorTableSize(d[i + 9]) + 1;
                    return SkipSubBlocks(d, ref i);
                default: // trailer (0x3B) before any image, or an unknown block
                    return false;
            }
        }
        return false;
    }

    private static int ColorTableSize(byte packed) => (packed & 0x80) != 0 ? 3 << ((packed & 0x07) + 1) : 0;

    private static bool SkipSubBlocks(ReadOnlySpan<byte> d, ref int i)
    {
        while (i < d.Length)
        {
            var size = d[i];
            i += 1 + size;
            if (size == 0) return i <= d.Length;
        }
        return false;
    }

    /// <summary>A WebP file is one RIFF chunk whose declared size must fit in the data.</summary>
    private static bool WebpComplete(ReadOnlySpan<byte> d) =>
        d.Length >= 12 && BinaryPrimitives.ReadUInt32LittleEndian(d[4..]) + 8L <= d.Length;

    /// <summary>
    /// Uncompressed BMP pixel rows have a fixed size, so the file must reach offset + rows·stride (the
    /// last row's padding may be missing; some writers omit it). RLE-compressed files are left to the decoder.
    /// </summary>
    private static bool BmpComplete(ReadOnlySpan<byte> d)
    {
        if (d.Length < 26) return false;
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(d[10..]);
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(d[14..]);
        long width, height;
        int bitsPerPixel;
        uint compression = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadInt16LittleEndian(d[18..]);
            height = BinaryPrimitives.ReadInt16LittleEndian(d[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(d[24..]);
        }
        else
        {
            if (d.Length < 34) return false;
            width = BinaryPrimitives.ReadInt32LittleEndian(d[18..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..]));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(d[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(d[30..]);
        }
        if (compression is not (0 or 3 or 6)) return true; // RLE, JPEG or PNG payloads: decoder's job
        var rowBytes = (width * bitsPerPixel + 7) / 8;
        var stride = (width * bitsPerPixel + 31) / 32 * 4;
        return height == 0 || offset + stride * (height - 1) + rowBytes <= d.Length;
    }
}
