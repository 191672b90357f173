using LiteDB;

namespace SkateBot.Storage;

/// <summary>Queries that span several stores; each runs as one transaction, so it sees one consistent state.</summary>
public sealed partial class SkateDatabase
{
    /// <summary>Every image whose current votes resolve to a class (see <see cref="LabelResolver"/>), ordered by SHA.</summary>
    /// <param name="minVotes">Votes a non-operator majority needs.</param>
    public IReadOnlyList<ResolvedLabel> ResolvedLabels(int minVotes)
    {
        Guard.MinVotes(minVotes);
        return _gate.Run(db => ResolveAll(db, minVotes));
    }

    /// <summary>Resolved images whose latest prediction disagrees with the label: what the model got wrong.</summary>
    /// <param name="minVotes">Votes a non-operator majority needs.</param>
    public IReadOnlyList<Misclassification> Misclassified(int minVotes)
    {
        Guard.MinVotes(minVotes);
        return _gate.Run(db => MisclassifiedIn(db, ResolveAll(db, minVotes)));
    }

    /// <summary>Counts for a status command.</summary>
    /// <param name="minVotes">Votes a non-operator majority needs.</param>
    public StorageStats Stats(int minVotes)
    {
        Guard.MinVotes(minVotes);
        return _gate.Run(db =>
        {
            var resolved = ResolveAll(db, minVotes);
            return new StorageStats(
                Images: db.GetCollection(Names.Images).Count(),
                Predictions: db.GetCollection(Names.Predictions).Count(),
                CurrentLabels: db.GetCollection(Names.Labels).Count(Query.EQ(nameof(LabelVote.Withdrawn), false)),
                Resolved: resolved.Count,
                Misclassified: MisclassifiedIn(db, resolved).Count,
                Models: db.GetCollection(Names.Models).Count(),
                Champion: db.GetCollection(Names.Models)
                    .FindOne(Query.EQ(nameof(ModelVersionRecord.Status), ModelStatus.Champion))?["_id"].AsString);
        });
    }

    private static List<ResolvedLabel> ResolveAll(LiteDatabase db, int minVotes) =>
        LabelStore.AllCurrent(db)
            .GroupBy(v => v.ImageSha, StringComparer.Ordinal)
            .Select(g => (Sha: g.Key, Resolution: LabelResolver.Resolve(g, minVotes)))
            .Where(r => r.Resolution.IsResolved)
            .Select(r => new ResolvedLabel(r.Sha, r.Resolution.ClassName!, r.Resolution.Rule))
            .OrderBy(r => r.ImageSha, StringComparer.Ordinal)
            .ToList();

    private static List<Misclassification> MisclassifiedIn(LiteDatabase db, IEnumerable<ResolvedLabel> resolved)
    {
        var result = new List<Misclassification>();
        foreach (var label in resolved)
        {
            var prediction = PredictionStore.LatestFor(db, label.ImageSha);
            if (prediction is not null && prediction.PredictedClass != label.ClassName)
            {
                result.Add(new Misclassification(
                    label.ImageSha, label.ClassName, label.Rule, prediction.PredictedClass, prediction.ModelVersion, prediction.At));
            }
        }

        return result;
    }
}
