using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// Remembers handled event keys so an event delivered twice (gateway resume, webhook retry) is handled once.
/// Keys are kept until <see cref="Prune"/> removes them by age.
/// </summary>
public sealed class ProcessedEventStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal ProcessedEventStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>Marks the key processed; false when it already was (the caller should skip the event).</summary>
    public bool TryMarkProcessed(string eventKey)
    {
        Guard.Text(eventKey);
        return _gate.Run(db =>
        {
            var events = db.GetCollection(Names.ProcessedEvents);
            if (events.FindById(eventKey) is not null)
            {
                return false;
            }

            events.Insert(new BsonDocument { ["_id"] = eventKey, ["At"] = StorageMapper.Time(_time.GetUtcNow()) });
            return true;
        });
    }

    /// <summary>Whether the key was marked.</summary>
    public bool Contains(string eventKey)
    {
        Guard.Text(eventKey);
        return _gate.Run(db => db.GetCollection(Names.ProcessedEvents).FindById(eventKey) is not null);
    }

    /// <summary>Forgets keys marked more than <paramref name="maxAge"/> ago; returns how many.</summary>
    public int Prune(TimeSpan maxAge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        var cutoff = StorageMapper.Time(_time.GetUtcNow() - maxAge);
        return _gate.Run(db => db.GetCollection(Names.ProcessedEvents).DeleteMany(Query.LT("At", cutoff)));
    }
}
