using SkateBot.Storage;

namespace SkateBot.Features.Retraining;

/// <summary>
/// Moves labelled held-out images into the trusted part once their label meets <see cref="LabelTrust"/>, freezing the
/// class in storage. Run at the start of every retrain, before the data set is built; entries are never changed after.
/// </summary>
public static class TrustedHoldout
{
    /// <returns>The entries added this time.</returns>
    public static IReadOnlyList<TrustedLabel> Admit(SkateDatabase db, RetrainingOptions options, DateTimeOffset now)
    {
        var already = db.Trusted.List().Select(t => t.ImageSha).ToHashSet(StringComparer.Ordinal);
        var entries = new List<TrustedLabel>();
        foreach (var image in db.Labels.History().GroupBy(v => v.ImageSha, StringComparer.Ordinal))
        {
            // Only the held-out share: a trusted image is never trained on, so trusting a training image would take it away.
            if (already.Contains(image.Key) || !RetrainingDataset.InHoldout(image.Key, options.HoldoutSharePercent)) continue;
            if (LabelTrust.Decide(image, options.MinVotes, options.TrustAfter, now) is { } decision)
                entries.Add(new TrustedLabel { ImageSha = image.Key, ClassName = decision.ClassName, TrustedAt = decision.At, Reason = decision.Reason });
        }

        return entries.Count == 0 ? [] : db.Trusted.Admit(entries);
    }
}
