using System.Globalization;
using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// The model versions, which one is champion, and an append-only history of promotions, rollbacks,
/// rejections and failures. Every change of status and its event are written in one transaction.
/// </summary>
public sealed class ModelRegistry
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal ModelRegistry(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>
    /// Registers a new version (CreatedAt is set to now). Its status must not be champion: a version becomes
    /// champion only through <see cref="Promote"/>, so every change of champion is in the history.
    /// </summary>
    public ModelVersionRecord Register(ModelVersionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Guard.Text(record.Version);
        Guard.Text(record.FilePath);
        Guard.Text(record.TrainingFingerprint);
        ArgumentNullException.ThrowIfNull(record.BaseFolders);
        foreach (var folder in record.BaseFolders)
        {
            Guard.Text(folder.Given);
            Guard.Text(folder.Resolved);
        }

        if (record.Status is not (ModelStatus.Candidate or ModelStatus.Rejected or ModelStatus.Failed))
        {
            throw new ArgumentException(
                $"A version is registered as candidate, rejected or failed, not '{record.Status}'; use Promote to make it champion.", nameof(record));
        }

        return _gate.Run(db =>
        {
            var models = Models(db);
            if (models.FindById(record.Version) is not null)
            {
                throw new ModelRegistryException($"Model version '{record.Version}' is already registered.");
            }

            if (record.ParentVersion is not null && models.FindById(record.ParentVersion) is null)
            {
                throw new ModelRegistryException($"Parent version '{record.ParentVersion}' of '{record.Version}' is not registered.");
            }

            var stored = record with { CreatedAt = _time.GetUtcNow() };
            models.Insert(stored);
            return stored;
        });
    }

    /// <summary>A version, or null.</summary>
    public ModelVersionRecord? Get(string version) =>
        _gate.Run(db => Models(db).FindById(Guard.Text(version)));

    /// <summary>All versions, oldest first.</summary>
    public IReadOnlyList<ModelVersionRecord> List() =>
        _gate.Run(db => Models(db).FindAll().OrderBy(m => m.CreatedAt).ThenBy(m => m.Version, StringComparer.Ordinal).ToList());

    /// <summary>The champion, or null before the first promotion.</summary>
    public ModelVersionRecord? Champion() => _gate.Run(ChampionOf);

    /// <summary>The history, oldest first.</summary>
    public IReadOnlyList<ModelEvent> Events() =>
        _gate.Run(db => db.GetCollection<ModelEvent>(Names.ModelEvents).FindAll().OrderBy(e => e.Id).ToList());

    /// <summary>"v{n+1}" where n is the highest number among versions named "v&lt;number&gt;" ("v1" when none).</summary>
    public string NextVersion() => _gate.Run(db =>
    {
        var highest = Models(db).FindAll()
            .Select(m => m.Version.Length > 1 && m.Version[0] == 'v'
                && int.TryParse(m.Version.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        return "v" + (highest + 1).ToString(CultureInfo.InvariantCulture);
    });

    /// <summary>Makes <paramref name="version"/> champion; the old champion becomes retired.</summary>
    public ModelEvent Promote(string version, string reason)
    {
        Guard.Text(version);
        Guard.Text(reason);
        return _gate.Run(db =>
        {
            var target = Require(db, version);
            var previous = ChampionOf(db);
            if (previous?.Version == version)
            {
                throw new ModelRegistryException($"Model version '{version}' is already the champion.");
            }

            if (previous is not null)
            {
                Models(db).Update(previous with { Status = ModelStatus.Retired });
            }

            Models(db).Update(target with { Status = ModelStatus.Champion, RejectionReason = null });
            return Append(db, ModelEventKind.Promote, version, previous?.Version, reason);
        });
    }

    /// <summary>
    /// Makes the champion's predecessor champion again: the version that was champion before the promotion
    /// that made the current champion. The current champion becomes rejected with the reason. Repeated
    /// rollbacks walk further back through the promotions.
    /// </summary>
    public ModelEvent Rollback(string reason)
    {
        Guard.Text(reason);
        return _gate.Run(db =>
        {
            var champion = ChampionOf(db) ?? throw new ModelRegistryException("There is no champion to roll back.");
            var promotion = db.GetCollection<ModelEvent>(Names.ModelEvents)
                .Find(Query.And(Query.EQ(nameof(ModelEvent.Version), champion.Version), Query.EQ(nameof(ModelEvent.Kind), ModelEventKind.Promote)))
                .MaxBy(e => e.Id);
            var previousVersion = promotion?.PreviousVersion
                ?? throw new ModelRegistryException($"Champion '{champion.Version}' has no previous champion to roll back to.");
            var previous = Require(db, previousVersion);

            Models(db).Update(champion with { Status = ModelStatus.Rejected, RejectionReason = "rolled back: " + reason });
            Models(db).Update(previous with { Status = ModelStatus.Champion, RejectionReason = null });
            return Append(db, ModelEventKind.Rollback, previousVersion, champion.Version, reason);
        });
    }

    /// <summary>Marks a non-champion version rejected (e.g. evaluated worse than the champion).</summary>
    public ModelEvent Reject(string version, string reason) => SetOutcome(version, reason, ModelStatus.Rejected, ModelEventKind.Reject);

    /// <summary>Marks a non-champion version failed (training, evaluation or loading failed).</summary>
    public ModelEvent Fail(string version, string reason) => SetOutcome(version, reason, ModelStatus.Failed, ModelEventKind.Fail);

    /// <summary>Marks a non-champion version cancelled (its training stopped before it could be judged).</summary>
    public ModelEvent Cancel(string version, string reason) => SetOutcome(version, reason, ModelStatus.Cancelled, ModelEventKind.Cancel);

    private ModelEvent SetOutcome(string version, string reason, string status, string kind)
    {
        Guard.Text(version);
        Guard.Text(reason);
        return _gate.Run(db =>
        {
            var target = Require(db, version);
            if (target.Status == ModelStatus.Champion)
            {
                throw new ModelRegistryException($"Model version '{version}' is the champion; use Rollback to replace it.");
            }

            Models(db).Update(target with { Status = status, RejectionReason = reason });
            return Append(db, kind, version, ChampionOf(db)?.Version, reason);
        });
    }

    private ModelEvent Append(LiteDatabase db, string kind, string version, string? previous, string reason)
    {
        var entry = new ModelEvent { At = _time.GetUtcNow(), Kind = kind, Version = version, PreviousVersion = previous, Reason = reason };
        var id = db.GetCollection<ModelEvent>(Names.ModelEvents).Insert(entry);
        return entry with { Id = id.AsInt64 };
    }

    private static ILiteCollection<ModelVersionRecord> Models(LiteDatabase db) => db.GetCollection<ModelVersionRecord>(Names.Models);

    private static ModelVersionRecord? ChampionOf(LiteDatabase db) =>
        Models(db).FindOne(Query.EQ(nameof(ModelVersionRecord.Status), ModelStatus.Champion));

    private static ModelVersionRecord Require(LiteDatabase db, string version) =>
        Models(db).FindById(version) ?? throw new ModelRegistryException($"Model version '{version}' is not registered.");
}
