using SkateBot.Storage;

namespace SkateBot.Features.Retraining;

/// <summary>When an image's label became trustworthy, and with which class.</summary>
public sealed record TrustDecision(string ClassName, DateTimeOffset At, string Reason);

/// <summary>
/// The rule that lets a labelled held-out image into the trusted part of the held-out set, read from its vote history
/// (votes are never deleted, only withdrawn with a time, so the history can be replayed):
/// <list type="bullet">
/// <item>its votes resolved to the same class without a break for <see cref="RetrainingOptions.TrustAfter"/>, or</item>
/// <item>at some moment at least <see cref="AgreeingUsers"/> distinct people had a current vote on it and all of them
/// for the class it resolved to (confirmed in review).</item>
/// </list>
/// The first moment either held decides the class. An operator's vote alone never confirms: operators outrank everyone,
/// and one careless import must not be able to write the judge's answers. A later change of the votes does not undo a
/// trust that was reached before it.
/// </summary>
public static class LabelTrust
{
    /// <summary>Distinct people who must agree, with no current vote against, for a label to count as confirmed.</summary>
    public const int AgreeingUsers = 2;

    /// <param name="votes">Every vote on ONE image, withdrawn ones included.</param>
    public static TrustDecision? Decide(IEnumerable<LabelVote> votes, int minVotes, TimeSpan trustAfter, DateTimeOffset now)
    {
        var history = votes.ToList();
        var times = history.Select(v => v.At)
            .Concat(history.Where(v => v.WithdrawnAt is not null).Select(v => v.WithdrawnAt!.Value))
            .Where(t => t <= now).Distinct().Order().ToList();
        string? runClass = null;
        var runStart = DateTimeOffset.MinValue;
        foreach (var t in times)
        {
            // The class in force since runStart lasted until this change: long enough?
            if (runClass is not null && runStart + trustAfter <= t) return Aged(runClass, runStart, trustAfter);
            var state = history.Where(v => v.At <= t).Select(v => v with { Withdrawn = WithdrawnBy(v, t) }).ToList();
            var resolution = LabelResolver.Resolve(state, minVotes);
            if (resolution.ClassName is { } resolved && Agreeing(state, resolved) is var agreeing && agreeing >= AgreeingUsers)
                return new TrustDecision(resolved, t, $"confirmed by {agreeing} agreeing people on {t.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
            if (resolution.ClassName != runClass)
            {
                runClass = resolution.ClassName;
                runStart = t;
            }
        }

        return runClass is not null && runStart + trustAfter <= now ? Aged(runClass, runStart, trustAfter) : null;
    }

    private static TrustDecision Aged(string className, DateTimeOffset since, TimeSpan trustAfter) =>
        new(className, since + trustAfter, $"agreed since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC for {trustAfter}");

    private static bool WithdrawnBy(LabelVote vote, DateTimeOffset t) =>
        vote.WithdrawnAt is { } w ? w <= t : vote.Withdrawn;

    /// <summary>Distinct people currently voting, if all of them vote <paramref name="className"/>; else 0.</summary>
    private static int Agreeing(IEnumerable<LabelVote> state, string className)
    {
        var current = state.Where(v => !v.Withdrawn).GroupBy(v => v.UserId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(v => (v.At, v.Id))!).ToList();
        return current.All(v => v.ClassName == className) ? current.Count : 0;
    }
}
