namespace SkateBot.Storage;

/// <summary>
/// The trusted part of the retraining held-out set: images whose class was frozen when they entered. There is no update
/// and no delete, so no vote, import or retrain can move a trusted image to another class.
/// </summary>
public sealed class TrustedLabelStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal TrustedLabelStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>
    /// Records the entries whose image is not trusted yet, in one transaction; an image already trusted keeps its entry
    /// (its class included) whatever the new entry says.
    /// </summary>
    /// <returns>The entries written.</returns>
    public IReadOnlyList<TrustedLabel> Admit(IEnumerable<TrustedLabel> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var checkedEntries = entries.Select(e =>
        {
            ArgumentNullException.ThrowIfNull(e);
            Guard.Text(e.ClassName);
            Guard.Text(e.Reason);
            return e with { ImageSha = Guard.Sha(e.ImageSha) };
        }).ToList();
        return _gate.Run(db =>
        {
            var trusted = db.GetCollection<TrustedLabel>(Names.TrustedLabels);
            var now = _time.GetUtcNow();
            var written = new List<TrustedLabel>();
            foreach (var entry in checkedEntries.DistinctBy(e => e.ImageSha))
            {
                LabelStore.RequireImage(db, entry.ImageSha);
                if (trusted.FindById(entry.ImageSha) is not null) continue;
                var stored = entry with { RecordedAt = now };
                trusted.Insert(stored);
                written.Add(stored);
            }

            return written;
        });
    }

    /// <summary>The entry of one image, or null when it is not trusted.</summary>
    public TrustedLabel? Get(string imageSha)
    {
        var sha = Guard.Sha(imageSha);
        return _gate.Run(db => db.GetCollection<TrustedLabel>(Names.TrustedLabels).FindById(sha));
    }

    /// <summary>Every trusted image, ordered by SHA.</summary>
    public IReadOnlyList<TrustedLabel> List() =>
        _gate.Run(db => db.GetCollection<TrustedLabel>(Names.TrustedLabels).FindAll().OrderBy(t => t.ImageSha, StringComparer.Ordinal).ToList());
}
