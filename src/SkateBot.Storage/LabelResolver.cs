namespace SkateBot.Storage;

/// <summary>The answer the votes on one image resolve to.</summary>
/// <param name="ClassName">The resolved class, or null when unresolved.</param>
/// <param name="Rule">Which rule decided: "operator", "majority", "tie", "too-few-votes" or "no-votes".</param>
/// <param name="VotesFor">Current votes for the leading (or resolved) class.</param>
/// <param name="VotesTotal">Current votes counted (one per user).</param>
public sealed record LabelResolution(string? ClassName, string Rule, int VotesFor, int VotesTotal)
{
    /// <summary>True when the votes give one class.</summary>
    public bool IsResolved => ClassName is not null;
}

/// <summary>A resolved label of one image, as used to build training sets.</summary>
public sealed record ResolvedLabel(string ImageSha, string ClassName, string Rule);

/// <summary>An image whose resolved label differs from its latest prediction.</summary>
public sealed record Misclassification(
    string ImageSha, string LabelClass, string Rule, string PredictedClass, string ModelVersion, DateTimeOffset PredictedAt);

/// <summary>
/// Turns the votes on one image into one answer. The rule, in order:
/// <list type="number">
/// <item>Only current votes count: withdrawn votes are ignored, and each user counts once, with their latest
/// vote (latest by time, then by id).</item>
/// <item>No current votes: unresolved, rule "no-votes".</item>
/// <item>If any current vote is an operator's, the latest operator vote wins, rule "operator": operators
/// outrank everyone, however many users voted otherwise.</item>
/// <item>Otherwise the class with strictly more votes than every other class wins, rule "majority", provided it
/// has at least <c>minVotes</c> votes.</item>
/// <item>Two or more classes sharing the highest count: unresolved, rule "tie". A leader with fewer than
/// <c>minVotes</c> votes: unresolved, rule "too-few-votes".</item>
/// </list>
/// Consequence: one person cannot flip a label others agreed on. Against two agreeing users a dissenter makes
/// 2:1 (still the majority); voting again only replaces the dissenter's own vote.
/// </summary>
public static class LabelResolver
{
    /// <summary>Resolves the votes on one image by the rule above.</summary>
    /// <param name="votes">Votes on ONE image, withdrawn ones may be included.</param>
    /// <param name="minVotes">Votes a non-operator majority needs (at least 1).</param>
    public static LabelResolution Resolve(IEnumerable<LabelVote> votes, int minVotes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        Guard.MinVotes(minVotes);

        var current = votes
            .Where(v => !v.Withdrawn)
            .GroupBy(v => v.UserId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(v => (v.At, v.Id))!)
            .ToList();
        if (current.Count == 0)
        {
            return new LabelResolution(null, "no-votes", 0, 0);
        }

        var counts = current
            .GroupBy(v => v.ClassName, StringComparer.Ordinal)
            .Select(g => (ClassName: g.Key, Count: g.Count()))
            .OrderByDescending(c => c.Count)
            .ToList();

        var operatorVote = current.Where(v => v.IsOperator).MaxBy(v => (v.At, v.Id));
        if (operatorVote is not null)
        {
            var forOperator = counts.First(c => c.ClassName == operatorVote.ClassName).Count;
            return new LabelResolution(operatorVote.ClassName, "operator", forOperator, current.Count);
        }

        var leader = counts[0];
        if (counts.Count > 1 && counts[1].Count == leader.Count)
        {
            return new LabelResolution(null, "tie", leader.Count, current.Count);
        }

        return leader.Count >= minVotes
            ? new LabelResolution(leader.ClassName, "majority", leader.Count, current.Count)
            : new LabelResolution(null, "too-few-votes", leader.Count, current.Count);
    }
}
