using SkateBot.Vision.Evaluation;

namespace SkateBot.Features.Retraining;

/// <summary>Error rates on one part of the held-out set, taken from the evaluations of the whole set (one pass per model).</summary>
public static class HoldoutScores
{
    /// <param name="part">The part's images (their ids pick the part's predictions out of the evaluations).</param>
    /// <param name="challenger">The challenger on the whole held-out set.</param>
    /// <param name="champion">The champion on the whole held-out set, or null.</param>
    public static PartScores Of(IReadOnlyList<LabelledSource> part, EvaluationResult challenger, EvaluationResult? champion)
    {
        var ids = part.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var (count, challengerError) = ErrorRate(challenger, ids);
        return new PartScores(count, champion is null ? null : ErrorRate(champion, ids).Rate, challengerError);
    }

    /// <summary>Errors over the part's images that were evaluated (unreadable ones are skipped by the evaluation).</summary>
    private static (int Count, double Rate) ErrorRate(EvaluationResult result, HashSet<string> ids)
    {
        var items = result.Items.Where(i => ids.Contains(i.Id)).ToList();
        return (items.Count, items.Count == 0 ? double.NaN : (double)items.Count(i => !i.Correct) / items.Count);
    }
}
