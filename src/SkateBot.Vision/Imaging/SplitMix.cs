namespace SkateBot.Vision.Imaging;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014), seeded with one draw from the caller's <see cref="Random"/>.
/// .NET's seeded Random is the legacy subtractive generator, whose early outputs correlate for nearby
/// seeds: with new Random(i) per sample, brightness alternated between two values across i. Mixing the
/// draw through SplitMix64 keeps the result deterministic per seed but decorrelates neighbouring seeds.
/// </summary>
internal sealed class SplitMix(Random seedSource)
{
    private ulong _state = (ulong)seedSource.NextInt64(long.MinValue, long.MaxValue);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextDouble() * (maxExclusive - min));
}
