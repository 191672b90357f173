namespace SkateBot.Vision.Data;

/// <summary>Per-class seeded shuffle and cut, so both sides keep the class proportions.</summary>
internal static class StratifiedSplit
{
    public static (List<LabelledImage> Train, List<LabelledImage> Valid) Split(
        IReadOnlyList<LabelledImage> items, int classCount, double fraction, int seed)
    {
        // One generator walked in class order: the split depends only on the seed and the file set,
        // not on enumeration order (items are sorted by path first).
        var rng = new Random(seed);
        var train = new List<LabelledImage>();
        var valid = new List<LabelledImage>();
        for (var c = 0; c < classCount; c++)
        {
            var members = items.Where(i => i.ClassIndex == c).OrderBy(i => i.Path, StringComparer.Ordinal).ToArray();
            rng.Shuffle(members);
            var n = members.Length;
            var take = n >= 2 ? Math.Clamp((int)Math.Round(n * fraction, MidpointRounding.AwayFromZero), 1, n - 1) : 0;
            valid.AddRange(members.Take(take).OrderBy(i => i.Path, StringComparer.Ordinal));
            train.AddRange(members.Skip(take).OrderBy(i => i.Path, StringComparer.Ordinal));
        }
        return (train, valid);
    }
}
