namespace SkateBot.Vision.Inference;

/// <summary>Per-photo logits and how many views each photo cost in forward passes (a view with the same pixels as an
/// earlier one of its photo costs none: <see cref="ViewCascade.SameAs"/>).</summary>
public sealed record CascadeLogits(IReadOnlyList<double[]> Logits, IReadOnlyList<int> ViewsUsed)
{
    public int ViewsForwarded => ViewsUsed.Sum();
}

/// <summary>
/// How a photo's views become its logits. With several views (<c>multi</c>: padded whole photo, centre square, lower
/// square) the first view, the whole photo, is forwarded alone first; when its calibrated probabilities are already sure
/// (some class at <c>firstViewAbove</c> or more) it decides the photo, and only the photos it leaves unsure pay for the
/// other views, whose logits are then averaged with it exactly as before. Three forward passes per photo were what
/// capped the service on two cores (issue 11); on the shared photos the rule changed no answer while sparing the
/// extra views for most photos (README, "Performance"). A threshold of 1 or more averages every view of every photo
/// (one forward pass over all of them, as before the cascade).
/// <para>One rule for <c>predict</c>, <c>eval</c>, the service and the retrain gate: each reads the threshold from the
/// checkpoint (<see cref="Checkpoints.CheckpointInfo.EffectiveFirstViewAbove"/>). Training's validation, on which the
/// temperature is fitted, averages every view.</para>
/// </summary>
public static class ViewCascade
{
    /// <summary>The threshold a checkpoint without one uses.</summary>
    public const double DefaultFirstViewAbove = 0.9;

    /// <summary>Whether <paramref name="firstViewAbove"/> lets a first view decide at all.</summary>
    public static bool IsOn(double firstViewAbove) => firstViewAbove is > 0 and < 1;

    /// <summary>
    /// Whether logits of the first view alone (<paramref name="row"/>, raw) are sure enough: the largest probability after
    /// temperature scaling is at least <paramref name="firstViewAbove"/>.
    /// </summary>
    public static bool FirstViewDecides(ReadOnlySpan<float> row, double temperature, double firstViewAbove)
    {
        if (!IsOn(firstViewAbove) || row.Length == 0) return false;
        var t = temperature is > 0 && double.IsFinite(temperature) ? temperature : 1;
        var max = double.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v / t);
        if (!double.IsFinite(max)) return false;
        double sum = 0;
        foreach (var v in row) sum += Math.Exp(v / t - max);
        // The largest probability is exp(0) / sum.
        return 1 / sum >= firstViewAbove;
    }

    /// <summary>
    /// The logits of each photo (given as its views) under the rule above. <paramref name="forward"/> runs views through the
    /// network and returns their raw logits row-major ([views × <paramref name="classes"/>]); it is called once when the
    /// rule is off or no photo has a second view, else once for the first views and once more for the remaining views of
    /// the photos the first left unsure (if any).
    /// </summary>
    public static CascadeLogits Logits(IReadOnlyList<float[][]> photos, int classes, double temperature, double firstViewAbove,
        Func<IReadOnlyList<float[]>, float[]> forward)
    {
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentNullException.ThrowIfNull(forward);
        if (photos.Count == 0) return new CascadeLogits([], []);
        if (photos.Any(p => p.Length == 0)) throw new ArgumentException("Every photo needs at least one view.", nameof(photos));
        var counts = photos.Select(p => p.Length).ToList();
        if (!IsOn(firstViewAbove) || counts.All(c => c == 1))
        {
            var sources = photos.Select(p => SameAs(p)).ToList();
            var distinct = photos.SelectMany((p, i) => p.Where((_, v) => sources[i][v] == v)).ToList();
            var raw = Check(forward(distinct), distinct.Count, classes);
            var rows = new float[counts.Sum() * classes];
            int read = 0, start = 0;
            for (var i = 0; i < photos.Count; i++)
            {
                read += SpreadRows(raw.AsSpan(read * classes), sources[i], classes, rows.AsSpan(start * classes, counts[i] * classes));
                start += counts[i];
            }
            return new CascadeLogits(Average(rows, counts, classes), sources.Select(Forwarded).ToList());
        }

        var first = Check(forward(photos.Select(p => p[0]).ToList()), photos.Count, classes);
        var logits = new double[photos.Count][];
        var used = new int[photos.Count];
        var pending = new List<int>();
        for (var i = 0; i < photos.Count; i++)
        {
            var row = first.AsSpan(i * classes, classes);
            if (photos[i].Length == 1 || FirstViewDecides(row, temperature, firstViewAbove))
            {
                logits[i] = new double[classes];
                for (var c = 0; c < classes; c++) logits[i][c] = row[c];
                used[i] = 1;
            }
            else pending.Add(i);
        }
        if (pending.Count > 0)
        {
            // A view with the same pixels as an earlier one of its photo (a square photo's centre square is the whole
            // photo) is not forwarded again: it takes that view's logits. Only the photos left unsure are compared.
            var sources = pending.ToDictionary(i => i, i => SameAs(photos[i]));
            var distinct = pending.SelectMany(i => photos[i].Where((_, v) => v > 0 && sources[i][v] == v)).ToList();
            var rest = Check(forward(distinct), distinct.Count, classes);
            var read = 0;
            foreach (var i in pending)
            {
                var rows = new float[photos[i].Length * classes];
                first.AsSpan(i * classes, classes).CopyTo(rows);
                read += SpreadRows(rest.AsSpan(read * classes), sources[i], classes, rows, fromView: 1);
                // The same arithmetic as averaging all the views in one forward pass.
                logits[i] = Average(rows, [photos[i].Length], classes)[0];
                used[i] = Forwarded(sources[i]);
            }
        }
        return new CascadeLogits(logits, used);
    }

    /// <summary>
    /// For each of a photo's views, the index of its first view with exactly the same pixels (its own index when no
    /// earlier view has them). <c>multi</c>'s centre square of a square photo is the padded whole photo, pixel for pixel,
    /// so forwarding it again would only repeat a forward pass.
    /// </summary>
    public static int[] SameAs(IReadOnlyList<float[]> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var sources = new int[views.Count];
        for (var v = 0; v < views.Count; v++)
        {
            sources[v] = v;
            for (var earlier = 0; earlier < v; earlier++)
            {
                if (sources[earlier] != earlier || !SamePixels(views[earlier], views[v])) continue;
                sources[v] = earlier;
                break;
            }
        }
        return sources;
    }

    /// <summary>
    /// Fills one photo's <paramref name="rows"/> ([views × <paramref name="width"/>]) from <paramref name="forwarded"/>, the
    /// rows of its views from <paramref name="fromView"/> on that repeat no earlier view, in order; a repeat copies the row
    /// of the view it repeats (already filled). Returns how many forwarded rows it took.
    /// </summary>
    internal static int SpreadRows(ReadOnlySpan<float> forwarded, int[] sameAs, int width, Span<float> rows, int fromView = 0)
    {
        var taken = 0;
        for (var v = fromView; v < sameAs.Length; v++)
        {
            var from = sameAs[v] == v ? forwarded.Slice(taken++ * width, width) : rows.Slice(sameAs[v] * width, width);
            from.CopyTo(rows.Slice(v * width, width));
        }
        return taken;
    }

    /// <summary>How many of the views <see cref="SameAs"/> describes are forwarded (those that repeat no earlier view).</summary>
    public static int Forwarded(int[] sameAs) => sameAs.Where((s, v) => s == v).Count();

    private static bool SamePixels(float[] a, float[] b) =>
        ReferenceEquals(a, b) || System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan())
            .SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.AsSpan()));

    /// <summary>Mean over consecutive rows of <paramref name="raw"/> ([Σviews, classes], row-major), one group per photo.</summary>
    public static List<double[]> Average(float[] raw, IReadOnlyList<int> viewsPerPhoto, int classes)
    {
        var output = new List<double[]>(viewsPerPhoto.Count);
        var row = 0;
        foreach (var views in viewsPerPhoto)
        {
            var mean = new double[classes];
            for (var v = 0; v < views; v++, row++)
                for (var c = 0; c < classes; c++) mean[c] += raw[row * classes + c] / views;
            output.Add(mean);
        }
        return output;
    }

    private static float[] Check(float[] raw, int rows, int classes) =>
        raw.Length == rows * classes ? raw
        : throw new InvalidOperationException($"The forward pass returned {raw.Length} logits for {rows} views of {classes} classes.");
}
