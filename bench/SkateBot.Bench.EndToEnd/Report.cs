using System.Globalization;

namespace SkateBot.Bench.EndToEnd;

internal static class Report
{
    public static void Line(TextWriter log, RateResult r)
    {
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {r.Rate}/s: sent {r.Sent} ({r.AchievedRate:0.0}/s achieved), answered {r.Answered}, declined {r.Declined}, missing {r.Missing}, duplicates {r.Duplicates}; " +
            $"answers p50 {Ms(r.P50)} p90 {Ms(r.P90)} p99 {Ms(r.P99)} max {Ms(r.Max)}; declines p50 {Ms(r.DeclineP50)} p99 {Ms(r.DeclineP99)}; backlog peak {r.BacklogPeak}, {r.BacklogAtEnd} left when sending stopped, " +
            $"drained in {(double.IsNaN(r.DrainSeconds) ? "– (stalled)" : r.DrainSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s")} [load {r.Load}]"));
        foreach (var (reason, count) in r.DeclineReasons)
            log.WriteLine($"    declined {count}×: {reason}");
        if (r.Note is not null) log.WriteLine($"    {r.Note}");
        log.Flush();
    }

    public static void Table(TextWriter log, IReadOnlyList<RateResult> results, RateResult? retrained, BenchOptions options)
    {
        log.WriteLine();
        log.WriteLine("p50…max: time from MESSAGE_CREATE dispatched to the answer's POST received, answered photos only.");
        log.WriteLine($"| rate (photos/s) | sent | answered | declined | missing | duplicates | p50 | p90 | p99 | max | declines p50 / p99 | backlog peak / at end | load |");
        log.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results.Append(retrained).OfType<RateResult>())
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Rate}{(ReferenceEquals(r, retrained) ? " + retrain" : "")} | {r.Sent} | {r.Answered} | {r.Declined} | {r.Missing} | {r.Duplicates} | {Ms(r.P50)} | {Ms(r.P90)} | {Ms(r.P99)} | {Ms(r.Max)} | {Ms(r.DeclineP50)} / {Ms(r.DeclineP99)} | {r.BacklogPeak} / {r.BacklogAtEnd} | {r.Load} |"));
        if (retrained is not null && results.FirstOrDefault(r => r.Rate == retrained.Rate) is { } plain)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"retrain at {retrained.Rate}/s: p99 {Ms(retrained.P99)} vs {Ms(plain.P99)} without ({retrained.P99 / plain.P99:0.00}×; target ≤ 2×)"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target (issue 11): 24 photos/s with p50 ≤ 80 ms and p99 ≤ 400 ms; {options.Seconds} s per rate; load average now {Load.Average()}"));
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms >= 10_000 ? (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
