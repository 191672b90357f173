using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

public sealed class ImageLoaderRejectionTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ImageLoader _loader = new();

    public void Dispose() => _temp.Dispose();

    private ImageLoadException Rejected(string path, ImageLoader? loader = null) =>
        Assert.Throws<ImageLoadException>(() => (loader ?? _loader).Load(path).Dispose());

    [Fact]
    public void Load_ZeroByteFile_SaysFileIsEmpty()
    {
        var ex = Rejected(_temp.Write("x.jpg", []));
        Assert.Equal("x.jpg: file is empty", ex.Message);
        Assert.Equal("x.jpg", ex.Source);
        Assert.Equal("file is empty", ex.Reason);
    }

    [Fact]
    public void Load_TextFile_SaysNotSupportedAndListsFormats()
    {
        var ex = Rejected(_temp.Write("a.txt", Encoding.UTF8.GetBytes("hello, this is not a picture\n")));
        Assert.Equal("a.txt: not a supported image (JPEG, PNG, WebP, GIF, BMP, TIFF)", ex.Message);
    }

    [Fact]
    public void Load_TgaLookingBytes_AreNotAccepted()
    {
        // 18 bytes that ImageSharp's TGA detector would accept; TGA is deliberately not enabled.
        byte[] tgaHeader = [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 24, 0, 0, 0, 255];
        var ex = Rejected(_temp.Write("t.tga", tgaHeader));
        Assert.Contains("not a supported image", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_SaysNotFound()
    {
        var ex = Rejected(Path.Combine(_temp.Path, "nope.png"));
        Assert.Equal("nope.png: file not found", ex.Message);
    }

    [Fact]
    public void ImageSharp_TruncatedJpeg_DecodesSilently_WhichIsWhyTheLoaderChecksStructure()
    {
        // Characterisation of ImageSharp 2.1: no exception for a JPEG cut in its scan data.
        var cut = TruncatedJpeg();
        using var image = Image.Load<Rgb24>(cut);
        Assert.Equal(64, image.Width);
    }

    [Fact]
    public void Load_TruncatedJpeg_SaysTruncated()
    {
        var ex = Rejected(_temp.Write("b.jpg", TruncatedJpeg()));
        Assert.Equal("b.jpg: image data is truncated or corrupt", ex.Message);
    }

    [Fact]
    public void Load_JpegWithoutOnlyLastTwoBytes_SaysTruncated()
    {
        var full = Encoded(TestImages.Photo(64, 48), new JpegEncoder());
        var ex = Rejected(_temp.Write("c.jpg", full[..^2]));
        Assert.Equal("c.jpg: image data is truncated or corrupt", ex.Message);
    }

    [Fact]
    public void Load_JpegWithBytesAfterEndMarker_Loads()
    {
        var full = Encoded(TestImages.Photo(64, 48), new JpegEncoder());
        using var image = _loader.Load([.. full, .. "trailing camera data"u8.ToArray()], "d.jpg");
        Assert.Equal((64, 48), (image.Width, image.Height));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.95)]
    public void Load_TruncatedPng_SaysTruncated(double keep)
    {
        var full = Encoded(TestImages.Photo(64, 48), new PngEncoder());
        var ex = Rejected(_temp.Write("p.png", full[..(int)(full.Length * keep)]));
        Assert.Equal("p.png: image data is truncated or corrupt", ex.Message);
    }

    [Theory]
    [InlineData("GIF", "g.gif")]
    [InlineData("WebP", "w.webp")]
    [InlineData("BMP", "m.bmp")]
    [InlineData("TIFF", "t.tif")]
    public void Load_TruncatedOtherFormats_SaysTruncated(string format, string name)
    {
        var full = Encoded(TestImages.Photo(64, 48), TestImages.EncoderFor(format));
        var ex = Rejected(_temp.Write(name, full[..(full.Length * 2 / 3)]));
        Assert.Equal($"{name}: image data is truncated or corrupt", ex.Message);
    }

    [Fact]
    public void Load_HeaderDeclaring54Megapixels_IsRefusedBeforeDecoding()
    {
        // A few dozen bytes claiming 9000x6000: decoding would allocate ~160 MB; identify reads only IHDR.
        var ex = Rejected(_temp.Write("photo.png", PngHeaderOnly(9000, 6000)));
        Assert.Equal("photo.png: image is 9000x6000 (54.0 MP), above the 40 MP limit", ex.Message);
    }

    [Fact]
    public void Load_OverConfiguredPixelLimit_NamesSizeAndLimit()
    {
        var loader = new ImageLoader(new ImageLimits(MaxPixels: 1000));
        var ex = Rejected(_temp.Write("big.png", Encoded(TestImages.Solid(50, 40, Color.Red), new PngEncoder())), loader);
        Assert.Equal("big.png: image is 50x40 (0.0 MP), above the 1000-pixel limit", ex.Message);
    }

    [Fact]
    public void Load_OverConfiguredByteLimit_NamesSizeAndLimit()
    {
        var loader = new ImageLoader(new ImageLimits(MaxBytes: 2048));
        var data = Encoded(TestImages.Photo(64, 64), new PngEncoder());
        Assert.True(data.Length > 2048);
        var ex = Rejected(_temp.Write("heavy.png", data), loader);
        Assert.StartsWith("heavy.png: file is ", ex.Message);
        Assert.EndsWith(" KB, above the 2 KB limit", ex.Message);
    }

    [Fact]
    public void LoadStream_UnseekableStreamOverByteLimit_StopsReading()
    {
        var loader = new ImageLoader(new ImageLimits(MaxBytes: 100_000));
        using var endless = new EndlessStream();
        var ex = Assert.Throws<ImageLoadException>(() => loader.Load(endless, "https://example.test/x.jpg"));
        Assert.StartsWith("https://example.test/x.jpg: file is ", ex.Message);
        Assert.True(endless.Served < 300_000, $"read {endless.Served} bytes");
    }

    [Fact]
    public void Load_CorruptJpegScan_NeverThrowsRawImageSharpException()
    {
        var data = Encoded(TestImages.Photo(64, 48), new JpegEncoder());
        // Overwrite the frame header's precision/size bytes with nonsense after the SOF marker.
        var sof = IndexOfMarker(data, 0xC0);
        data[sof + 5] = 0; data[sof + 6] = 0; // height 0
        var ex = Rejected(_temp.Write("e.jpg", data));
        Assert.StartsWith("e.jpg: ", ex.Message);
    }

    [Fact]
    public void Message_WithLineBreaksInReason_IsOneLine()
    {
        var ex = new ImageLoadException("a.jpg", "first\nsecond");
        Assert.Equal("a.jpg: first second", ex.Message);
    }

    internal static byte[] TruncatedJpeg()
    {
        var full = Encoded(TestImages.Photo(64, 48), new JpegEncoder { Quality = 90 });
        return full[..(full.Length * 2 / 3)];
    }

    private static byte[] Encoded(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using (image) return TestImages.Encode(image, encoder);
    }

    private static int IndexOfMarker(byte[] data, byte marker)
    {
        for (var i = 0; i + 1 < data.Length; i++) if (data[i] == 0xFF && data[i + 1] == marker) return i;
        throw new InvalidOperationException($"marker {marker:X2} not found");
    }

    /// <summary>PNG signature, IHDR with the given size, IEND; no pixel data at all.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        return [137, 80, 78, 71, 13, 10, 26, 10, .. Chunk("IHDR", ihdr), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typed.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(typed));
        return chunk;
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(0xAB);
            Served += count;
            return count;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
