using SkateBot.Vision.Model;
using static TorchSharp.torch;

namespace SkateBot.Vision.Tests.Model;

public sealed class InputConventionTests
{
    private static InputConvention Tiny(bool bgr = true) =>
        new("bgr-0-255-minus-meanimage", bgr, 255f, 2, Enumerable.Range(0, 12).Select(i => (float)i).ToArray());

    [Fact]
    public void Apply_RgbUnitPixels_GivesBgrScaledMinusMean()
    {
        var convention = Tiny();
        // R plane 0.1.., G plane 0.5.., B plane 0.9..
        float[] rgb = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f, 0.0f, 0.25f];
        using var scope = NewDisposeScope();

        float[] result = convention.Apply(tensor(rgb, [1, 3, 2, 2])).data<float>().ToArray();

        // channel 0 of the output is blue: 255*B - mean[0..3], then green, then red.
        float[] expected = [.. Enumerable.Range(0, 12).Select(i => rgb[(2 - i / 4) * 4 + i % 4] * 255f - i)];
        Assert.Equal(expected, result, (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void Apply_RgbConvention_KeepsChannelOrder()
    {
        var convention = Tiny(bgr: false);
        float[] rgb = [.. Enumerable.Range(0, 12).Select(i => i / 12f)];
        using var scope = NewDisposeScope();

        float[] result = convention.Apply(tensor(rgb, [1, 3, 2, 2])).data<float>().ToArray();

        Assert.Equal([.. Enumerable.Range(0, 12).Select(i => i / 12f * 255f - i)], result, (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void Apply_WrongShape_ThrowsArgumentException()
    {
        using var scope = NewDisposeScope();

        var e = Assert.Throws<ArgumentException>(() => Tiny().Apply(zeros(1, 3, 4, 4)));

        Assert.Contains("[N,3,2,2]", e.Message);
    }

    [Fact]
    public void WriteTo_ReadFrom_RoundTrips()
    {
        var convention = Tiny();
        using var stream = new MemoryStream();
        convention.WriteTo(stream);
        stream.Position = 0;

        var read = InputConvention.ReadFrom(stream);

        Assert.Equal(convention.Name, read.Name);
        Assert.Equal(convention.Bgr, read.Bgr);
        Assert.Equal(convention.Scale, read.Scale);
        Assert.Equal(convention.Size, read.Size);
        Assert.Equal(convention.MeanImage, read.MeanImage);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Theory]
    [InlineData(0)]   // magic
    [InlineData(4)]   // version
    [InlineData(-1)]  // truncated
    public void ReadFrom_CorruptStream_ThrowsInvalidData(int damageAt)
    {
        using var stream = new MemoryStream();
        Tiny().WriteTo(stream);
        byte[] bytes = stream.ToArray();
        if (damageAt >= 0)
        {
            bytes[damageAt] ^= 0xFF;
        }
        else
        {
            bytes = bytes[..^5];
        }

        var e = Assert.Throws<InvalidDataException>(() => InputConvention.ReadFrom(new MemoryStream(bytes)));

        Assert.Contains("input convention", e.Message);
    }

    [Fact]
    public void Constructor_MeanImageOfWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new InputConvention("x", true, 255f, 2, new float[11]));
    }
}
