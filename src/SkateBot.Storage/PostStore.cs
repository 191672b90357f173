namespace SkateBot.Storage;

/// <summary>External posts (e.g. Reddit) already looked at, so a rescan does not answer twice.</summary>
public sealed class PostStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal PostStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>Whether the post was seen.</summary>
    public bool Exists(string id)
    {
        Guard.Text(id);
        return _gate.Run(db => db.GetCollection<SeenPost>(Names.Posts).FindById(id) is not null);
    }

    /// <summary>The stored post, or null.</summary>
    public SeenPost? Get(string id)
    {
        Guard.Text(id);
        return _gate.Run(db => db.GetCollection<SeenPost>(Names.Posts).FindById(id));
    }

    /// <summary>Stores (or replaces) a post; a default <see cref="SeenPost.At"/> becomes now.</summary>
    public SeenPost Put(SeenPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        Guard.Text(post.Id);
        Guard.Text(post.Permalink);
        ArgumentNullException.ThrowIfNull(post.ImageShas);
        var stored = post with
        {
            ImageShas = post.ImageShas.Select(s => Guard.Sha(s)).ToArray(),
            At = post.At == default ? _time.GetUtcNow() : post.At,
        };
        _gate.Run(db => db.GetCollection<SeenPost>(Names.Posts).Upsert(stored));
        return stored;
    }
}
