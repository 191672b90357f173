using LiteDB;

namespace SkateBot.Storage;

/// <summary>Small named string values that must survive a restart, e.g. the newest Reddit fullname per subreddit.</summary>
public sealed class CursorStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal CursorStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>The value, or null when never set.</summary>
    public string? Get(string key)
    {
        Guard.Text(key);
        return _gate.Run(db => db.GetCollection(Names.Cursors).FindById(key)?["Value"].AsString);
    }

    /// <summary>Sets (or replaces) the value.</summary>
    public void Set(string key, string value)
    {
        Guard.Text(key);
        ArgumentNullException.ThrowIfNull(value);
        var doc = new BsonDocument
        {
            ["_id"] = key,
            ["Value"] = value,
            ["UpdatedAt"] = StorageMapper.Time(_time.GetUtcNow()),
        };
        _gate.Run(db => db.GetCollection(Names.Cursors).Upsert(doc));
    }
}
