namespace SkateBot.Vision.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): one scalar T divides the logits so
/// that the softmax's confidence matches how often the model is right. T is fitted by minimising the negative
/// log-likelihood on the validation set; it never changes which class wins.
/// </summary>
public static class Temperature
{
    /// <summary>
    /// Bounds on T. Small validation sets are often classified without a mistake, and then the likelihood keeps rising as
    /// T falls, towards certainties the model has not earned; no fit is made then (T = 1), and T never goes below 1/4.
    /// </summary>
    public const double Min = 0.25, Max = 10;

    public static double[] Softmax(ReadOnlySpan<double> logits, double temperature = 1)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l / temperature);
        var p = new double[logits.Length];
        double sum = 0;
        for (var i = 0; i < p.Length; i++) sum += p[i] = Math.Exp(logits[i] / temperature - max);
        for (var i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    /// <summary>Mean negative log-likelihood of the true classes at temperature T.</summary>
    public static double Nll(IReadOnlyList<double[]> logits, IReadOnlyList<int> labels, double temperature)
    {
        if (logits.Count == 0) return double.NaN;
        double total = 0;
        for (var i = 0; i < logits.Count; i++) total -= Math.Log(Math.Max(Softmax(logits[i], temperature)[labels[i]], 1e-12));
        return total / logits.Count;
    }

    /// <summary>The T in [<see cref="Min"/>, <see cref="Max"/>] with the lowest validation NLL (1 when there is nothing to fit
    /// on: fewer than two items, or no item misclassified).</summary>
    public static double Fit(IReadOnlyList<double[]> logits, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Count != labels.Count) throw new ArgumentException("One label per row of logits.");
        if (logits.Count < 2) return 1;
        var mistakes = logits.Where((l, i) => Array.IndexOf(l, l.Max()) != labels[i]).Count();
        if (mistakes == 0) return 1;
        // NLL(log T) is unimodal in practice; a coarse grid then golden-section search on log T.
        double lo = Math.Log(Min), hi = Math.Log(Max);
        var best = Enumerable.Range(0, 41).Select(k => lo + (hi - lo) * k / 40).MinBy(t => Nll(logits, labels, Math.Exp(t)));
        double a = Math.Max(lo, best - (hi - lo) / 40), b = Math.Min(hi, best + (hi - lo) / 40);
        var g = (Math.Sqrt(5) - 1) / 2;
        for (var k = 0; k < 40; k++)
        {
            double c = b - g * (b - a), d = a + g * (b - a);
            if (Nll(logits, labels, Math.Exp(c)) < Nll(logits, labels, Math.Exp(d))) b = d; else a = c;
        }
        var t = Math.Exp((a + b) / 2);
        return Nll(logits, labels, t) <= Nll(logits, labels, 1) ? t : 1;
    }

    /// <summary>
    /// Expected calibration error: the confidence of the top class, in <paramref name="bins"/> equal-width bins, against the
    /// share of those answers that were right, weighted by the bin's size.
    /// </summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels, int bins = 10)
    {
        if (probabilities.Count == 0) return double.NaN;
        var count = new int[bins];
        var confidence = new double[bins];
        var correct = new double[bins];
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = probabilities[i];
            var top = Array.IndexOf(p, p.Max());
            var bin = Math.Min(bins - 1, (int)(p[top] * bins));
            count[bin]++;
            confidence[bin] += p[top];
            if (top == labels[i]) correct[bin]++;
        }
        double ece = 0;
        for (var k = 0; k < bins; k++)
            if (count[k] > 0) ece += Math.Abs(confidence[k] / count[k] - correct[k] / count[k]) * count[k] / probabilities.Count;
        return ece;
    }
}
