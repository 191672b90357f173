using SkateBot.Storage;

namespace SkateBot.Features.Retraining;

/// <summary>The numbers `stats` and Discord's /stats show.</summary>
public sealed record BotStatistics(
    string? Champion, double? ChampionHoldoutError, double? ChampionValidError, DateTimeOffset? ChampionSince,
    int Images, int Predictions, int CurrentLabels, int Resolved, int Misclassified, int Models,
    int PredictionsSinceTraining, int LabelsSinceTraining)
{
    public static BotStatistics Collect(SkateDatabase db, int minVotes)
    {
        var s = db.Stats(minVotes);
        var champion = db.Models.Champion();
        var since = champion?.CreatedAt ?? DateTimeOffset.MinValue;
        double? Metric(string key) => champion is not null && champion.Metrics.TryGetValue(key, out var v) ? v : null;
        return new BotStatistics(champion?.Version, Metric("holdout_error_rate"), Metric("valid_error_rate"), champion?.CreatedAt,
            s.Images, s.Predictions, s.CurrentLabels, s.Resolved, s.Misclassified, s.Models,
            db.Predictions.CountSince(since), db.Labels.ChangedSince(since));
    }

    public IEnumerable<string> Lines()
    {
        yield return Champion is null ? "Serving model: none yet (run `train`)."
            : $"Serving model: {Champion} (holdout error {Percent(ChampionHoldoutError)}, validation error {Percent(ChampionValidError)}), trained {ChampionSince:yyyy-MM-dd HH:mm} UTC";
        yield return $"Since that training: {PredictionsSinceTraining} predictions, {LabelsSinceTraining} images labelled or relabelled";
        yield return $"All time: {Images} images, {Predictions} predictions, {CurrentLabels} current votes, {Resolved} resolved labels ({Misclassified} corrections of wrong predictions), {Models} model versions";
    }

    private static string Percent(double? v) => v is { } x ? $"{x:P1}" : "n/a";
}
