namespace SkateBot.Vision.Training;

/// <summary>
/// fast.ai's one-cycle policy (<c>fit_one_cycle</c>): the learning rate warms up on a cosine from <c>max/div</c> to
/// <c>max</c> over <c>pctStart</c> of the steps, then anneals on a cosine to <c>max/divFinal</c>; Adam's beta1 moves the
/// opposite way (0.95 → 0.85 → 0.95).
/// </summary>
public sealed class OneCycleSchedule(int totalSteps, double pctStart, double div = 25, double divFinal = 1e5)
{
    public const double MomentumHigh = 0.95, MomentumLow = 0.85;

    public int TotalSteps { get; } = Math.Max(1, totalSteps);

    /// <summary>Multiplier in (0, 1] for the peak learning rate at <paramref name="step"/> (0-based).</summary>
    public double LearningRateFactor(int step)
    {
        var (phase, t) = Position(step);
        return phase == 0
            ? Cos(1 / div, 1, t)
            : Cos(1, 1 / divFinal, t);
    }

    public double Momentum(int step)
    {
        var (phase, t) = Position(step);
        return phase == 0 ? Cos(MomentumHigh, MomentumLow, t) : Cos(MomentumLow, MomentumHigh, t);
    }

    private (int Phase, double T) Position(int step)
    {
        var warm = Math.Max(1, (int)Math.Round(TotalSteps * pctStart));
        var s = Math.Clamp(step, 0, TotalSteps - 1);
        if (s < warm) return (0, warm == 1 ? 1 : (double)s / (warm - 1));
        var rest = TotalSteps - warm;
        return (1, rest <= 1 ? 1 : (double)(s - warm) / (rest - 1));
    }

    private static double Cos(double start, double end, double t) => end + (start - end) / 2 * (1 + Math.Cos(Math.PI * t));

    /// <summary>fast.ai's <c>slice(lo, hi)</c> spread over <paramref name="groups"/> layer groups, geometrically.</summary>
    public static double[] Spread(double low, double high, int groups)
    {
        if (groups == 1) return [high];
        var result = new double[groups];
        for (var i = 0; i < groups; i++) result[i] = low * Math.Pow(high / low, (double)i / (groups - 1));
        return result;
    }
}

public static class OneCycleScheduleExtensions
{
    /// <summary>Sets each parameter group's learning rate (its peak times the schedule) and Adam's beta1 for this step.</summary>
    public static void Apply(this OneCycleSchedule schedule, TorchSharp.Modules.AdamW optimizer, IReadOnlyList<double> peaks, int step)
    {
        var factor = schedule.LearningRateFactor(step);
        var beta1 = schedule.Momentum(step);
        var i = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            var peak = peaks[Math.Min(i, peaks.Count - 1)];
            group.LearningRate = peak * factor;
            if (group is TorchSharp.Modules.AdamW.ParamGroup adam) adam.Betas = (beta1, adam.Betas.Item2);
            i++;
        }
    }
}
