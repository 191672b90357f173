using System.Buffers.Binary;

namespace SkateBot.Vision.Imaging;

/// <summary>GIF, WebP and BMP completeness checks (see <see cref="ImageIntegrity"/>).</summary>
internal static partial class ImageIntegrity
{
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
