using LiteDB;

namespace SkateBot.Storage;

/// <summary>Every prediction the bot made, append-only.</summary>
public sealed class PredictionStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    /// <summary>The answer recorded when the model would not name a class.</summary>
    public const string NoClass = "unsure";

    internal PredictionStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>Records a prediction made now.</summary>
    /// <param name="imageSha">The image (must be stored).</param>
    /// <param name="modelVersion">The model's registry version.</param>
    /// <param name="predictedClass">The answer: one of the keys of <paramref name="probabilities"/>, or <see cref="NoClass"/>
    /// when the model named no class (an unsure answer counts as not right when a label is resolved).</param>
    /// <param name="probabilities">Probability per class, each in [0, 1].</param>
    /// <param name="context">Where it was made, e.g. "discord:channel/message"; optional.</param>
    public PredictionRecord Add(
        string imageSha, string modelVersion, string predictedClass,
        IReadOnlyDictionary<string, double> probabilities, string? context = null)
    {
        var sha = Guard.Sha(imageSha);
        Guard.Text(modelVersion);
        Guard.Text(predictedClass);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (predictedClass != NoClass && !probabilities.ContainsKey(predictedClass))
        {
            throw new ArgumentException($"The predicted class '{predictedClass}' has no probability.", nameof(probabilities));
        }

        if (probabilities.Values.Any(p => !double.IsFinite(p) || p < 0 || p > 1))
        {
            throw new ArgumentException("Probabilities must be finite numbers in [0, 1].", nameof(probabilities));
        }

        return _gate.Run(db =>
        {
            LabelStore.RequireImage(db, sha);
            var record = new PredictionRecord
            {
                ImageSha = sha,
                ModelVersion = modelVersion,
                PredictedClass = predictedClass,
                Probabilities = new Dictionary<string, double>(probabilities),
                At = _time.GetUtcNow(),
                Context = context,
            };
            var id = db.GetCollection<PredictionRecord>(Names.Predictions).Insert(record);
            return record with { Id = id.AsInt64 };
        });
    }

    /// <summary>The most recent prediction for an image, or null.</summary>
    public PredictionRecord? Latest(string imageSha)
    {
        var sha = Guard.Sha(imageSha);
        return _gate.Run(db => LatestFor(db, sha));
    }

    /// <summary>All predictions for an image, oldest first.</summary>
    public IReadOnlyList<PredictionRecord> ForImage(string imageSha)
    {
        var sha = Guard.Sha(imageSha);
        return _gate.Run(db => db.GetCollection<PredictionRecord>(Names.Predictions)
            .Find(Query.EQ(nameof(PredictionRecord.ImageSha), sha)).OrderBy(p => p.Id).ToList());
    }

    /// <summary>How many predictions were recorded at or after <paramref name="since"/>.</summary>
    public int CountSince(DateTimeOffset since) =>
        _gate.Run(db => db.GetCollection(Names.Predictions)
            .Count(Query.GTE(nameof(PredictionRecord.At), StorageMapper.Time(since))));

    internal static PredictionRecord? LatestFor(LiteDatabase db, string sha) =>
        db.GetCollection<PredictionRecord>(Names.Predictions)
            .Find(Query.EQ(nameof(PredictionRecord.ImageSha), sha))
            .OrderByDescending(p => p.At).ThenByDescending(p => p.Id)
            .FirstOrDefault();
}
