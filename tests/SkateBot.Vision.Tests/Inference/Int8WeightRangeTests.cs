using SkateBot.Vision.Export;

namespace SkateBot.Vision.Tests.Inference;

/// <summary>
/// The int8 export's weights must give the same integers on every x86 CPU. ONNX Runtime's u8s8 kernels on CPUs without
/// VNNI add two u8 × s8 products into a 16-bit lane (<c>vpmaddubsw</c>) that saturates at 32767; with 8-bit weights the
/// same photo was answered 99.8 % on a VNNI CPU and 98.3 % under an AVX2 CPU (qemu -cpu Haswell), with 7-bit weights both gave
/// the same answer (README "Performance").
/// </summary>
public sealed class Int8WeightRangeTests
{
    [Fact]
    public void QuantizeWeights_AnyLayer_TwoLargestProductsFitASixteenBitLane()
    {
        var rng = new Random(7);
        var weights = Enumerable.Range(0, 64 * 27).Select(_ => (float)(rng.NextDouble() * 2 - 1) * 0.4f).ToArray();
        weights[5] = 3f; // one outlier in the first row: that row's scale follows it
        weights[27 * 3 + 1] = -2f;

        var (q, scales) = SkateNetQdqExporter.QuantizeWeights(weights, 64);

        var largest = q.Max(v => Math.Abs((int)v));
        Assert.True(2 * 255 * largest <= short.MaxValue, $"largest weight level {largest}: two u8 × s8 products reach {2 * 255 * largest}, beyond {short.MaxValue}");
        Assert.Equal(SkateNetQdqExporter.MaxWeightLevel, largest); // the full 7-bit range is used
        Assert.Equal(64, scales.Length);
        // Every weight comes back within half a step of its row's scale.
        for (var o = 0; o < 64; o++)
            for (var i = 0; i < 27; i++)
                Assert.InRange(Math.Abs(q[o * 27 + i] * scales[o] - weights[o * 27 + i]), 0, scales[o] / 2 + 1e-6);
        Assert.Equal(3f / SkateNetQdqExporter.MaxWeightLevel, scales[0], 1e-6);
    }

    [Fact]
    public void QuantizeWeights_RowsThatDoNotDivide_SaysSo() =>
        Assert.Contains("do not split", Assert.Throws<ArgumentException>(() => SkateNetQdqExporter.QuantizeWeights(new float[10], 3)).Message);
}
