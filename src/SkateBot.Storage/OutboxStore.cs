using LiteDB;

namespace SkateBot.Storage;

/// <summary>
/// A bot message that must reach a chat platform, kept until it has: a review or feed post of a Reddit photo survives a
/// platform outage and a restart. One entry per <see cref="OutgoingPost.Id"/> (kind and image), so a photo seen again
/// is not queued twice.
/// </summary>
public sealed record OutgoingPost
{
    /// <summary>"{kind}:{image sha}", e.g. "review:3fa…".</summary>
    public required string Id { get; init; }

    /// <summary>"review" or "feed".</summary>
    public required string Kind { get; init; }

    /// <summary>Where it goes (a Discord channel id).</summary>
    public required string ChannelId { get; init; }

    /// <summary>The image shown and linked (SHA-256 of its original bytes).</summary>
    public required string ImageSha { get; init; }

    /// <summary>The answer shown: a class or "unsure".</summary>
    public required string Label { get; init; }

    /// <summary>The most likely class and its confidence.</summary>
    public required string BestClass { get; init; }

    /// <summary>The calibrated probability of <see cref="BestClass"/>.</summary>
    public double Confidence { get; init; }

    /// <summary>Probability per class.</summary>
    public Dictionary<string, double> Probabilities { get; init; } = [];

    /// <summary>The model version that answered.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Why the answer is unsure; null for a named class.</summary>
    public string? UnsureReason { get; init; }

    /// <summary>Where the photo came from: the post's title, link and a short line (subreddit, post id).</summary>
    public string Title { get; init; } = "";

    /// <summary>Link to the post.</summary>
    public string Permalink { get; init; } = "";

    /// <summary>A short line saying where (subreddit, post id).</summary>
    public string Where { get; init; } = "";

    /// <summary>Sent with every attempt, so that the platform answers a repeat within its window with the message already
    /// created (Discord's <c>enforce_nonce</c>) instead of posting it twice.</summary>
    public required string Nonce { get; init; }

    /// <summary>Set once the platform created the message; what is left is linking it and adding reactions.</summary>
    public string? PostedMessageId { get; init; }

    /// <summary>When it was queued (set by storage when left default).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; init; }
}

/// <summary>Bot messages waiting to be posted, oldest first.</summary>
public sealed class OutboxStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal OutboxStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>Queues a post; false (and nothing changes) when one with the same id is already waiting.</summary>
    public bool Add(OutgoingPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        Guard.Text(post.Id);
        Guard.Text(post.ChannelId);
        Guard.Text(post.Nonce);
        if (post.Nonce.Length > 25) throw new ArgumentException("A nonce has at most 25 characters.", nameof(post));
        var stored = post with { ImageSha = Guard.Sha(post.ImageSha), At = post.At == default ? _time.GetUtcNow() : post.At };
        return _gate.Run(db =>
        {
            var posts = db.GetCollection<OutgoingPost>(Names.Outbox);
            if (posts.FindById(stored.Id) is not null) return false;
            posts.Insert(stored);
            return true;
        });
    }

    /// <summary>The waiting posts, oldest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<OutgoingPost> Oldest(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return _gate.Run(db => db.GetCollection<OutgoingPost>(Names.Outbox)
            .Query().OrderBy(p => p.At).Limit(max).ToList());
    }

    /// <summary>How many posts are waiting.</summary>
    public int Count() => _gate.Run(db => db.GetCollection<OutgoingPost>(Names.Outbox).Count());

    /// <summary>The waiting post with this id, or null.</summary>
    public OutgoingPost? Get(string id)
    {
        Guard.Text(id);
        return _gate.Run(db => db.GetCollection<OutgoingPost>(Names.Outbox).FindById(id));
    }

    /// <summary>Records that the platform created the message (before linking it and adding reactions).</summary>
    public void Posted(string id, string messageId) => Update(id, p => p with { PostedMessageId = Guard.Text(messageId) });

    /// <summary>Records a failed attempt; the post keeps waiting.</summary>
    public void Failed(string id, string error) => Update(id, p => p with { Attempts = p.Attempts + 1, LastError = error });

    /// <summary>Removes a post (sent, or given up); false when it was not waiting.</summary>
    public bool Remove(string id)
    {
        Guard.Text(id);
        return _gate.Run(db => db.GetCollection<OutgoingPost>(Names.Outbox).Delete(id));
    }

    private void Update(string id, Func<OutgoingPost, OutgoingPost> change)
    {
        Guard.Text(id);
        _gate.Run(db =>
        {
            var posts = db.GetCollection<OutgoingPost>(Names.Outbox);
            if (posts.FindById(id) is { } post) posts.Update(change(post));
        });
    }
}
