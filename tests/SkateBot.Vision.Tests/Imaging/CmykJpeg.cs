namespace SkateBot.Vision.Tests.Imaging;

/// <summary>
/// Writes a minimal baseline 8x8 four-component (CMYK, Adobe APP14 transform 0) JPEG of one solid
/// colour, because ImageSharp 2.1's encoder cannot write CMYK. Each block holds only a DC coefficient
/// (quantisation 1, DC = 8·(sample − 128)); ITU-T T.81 annex B/F describes the layout.
/// Samples are given as stored, i.e. Adobe's inverted convention (255 = no ink).
/// </summary>
internal static class CmykJpeg
{
    public static byte[] Solid(byte c, byte m, byte y, byte k)
    {
        var output = new List<byte> { 0xFF, 0xD8 };
        Segment(output, 0xEE, [.. "Adobe"u8.ToArray(), 0, 100, 0, 0, 0, 0, 0]);
        Segment(output, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(output, 0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        // DC table: categories 10 and 11 with codes 00 and 01; AC table: only EOB, code 0.
        Segment(output, 0xC4, [0x00, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 11,
                               0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        Segment(output, 0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
        var bits = new BitWriter(output);
        foreach (var sample in new[] { c, m, y, k }) WriteBlock(bits, 8 * (sample - 128));
        bits.Flush();
        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    private static void WriteBlock(BitWriter bits, int dc)
    {
        var magnitude = Math.Abs(dc);
        var size = magnitude == 0 ? 0 : 32 - int.LeadingZeroCount(magnitude);
        if (size is not (10 or 11)) throw new ArgumentOutOfRangeException(nameof(dc), "table covers categories 10 and 11 only");
        bits.Write(size == 10 ? 0b00 : 0b01, 2);
        bits.Write(dc >= 0 ? dc : dc + (1 << size) - 1, size);
        bits.Write(0, 1); // EOB
    }

    private static void Segment(List<byte> output, byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        output.AddRange([0xFF, marker, (byte)(length >> 8), (byte)length, .. payload]);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer, _count;

        public void Write(int value, int bitCount)
        {
            for (var i = bitCount - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) { _buffer = (_buffer << 1) | 1; if (++_count == 8) Emit(); }
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF) output.Add(0x00); // byte stuffing
            _buffer = 0;
            _count = 0;
        }
    }
}
