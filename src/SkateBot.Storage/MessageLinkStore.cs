using LiteDB;

namespace SkateBot.Storage;

/// <summary>Maps a bot message (platform, channel, message) to the images it answered, so a reaction finds its image.</summary>
public sealed class MessageLinkStore
{
    private readonly DbGate _gate;
    private readonly TimeProvider _time;

    internal MessageLinkStore(DbGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    /// <summary>Stores (or replaces) the images answered by one message; reactions already recorded on it are kept.</summary>
    public MessageLink Put(string platform, string channelId, string messageId, IReadOnlyList<MessageLinkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("A message link needs at least one image.", nameof(items));
        }

        var normalised = items.Select(i =>
        {
            ArgumentNullException.ThrowIfNull(i, nameof(items));
            Guard.Text(i.PredictedClass);
            Guard.Text(i.ModelVersion);
            ArgumentNullException.ThrowIfNull(i.Classes, nameof(items));
            return i with { ImageSha = Guard.Sha(i.ImageSha) };
        }).ToArray();

        var key = Key(platform, channelId, messageId);
        return _gate.Run(db =>
        {
            var links = db.GetCollection<MessageLink>(Names.MessageLinks);
            var link = new MessageLink
            {
                Id = key,
                Platform = platform,
                ChannelId = channelId,
                MessageId = messageId,
                Items = normalised,
                At = _time.GetUtcNow(),
                Reactions = links.FindById(key)?.Reactions ?? [],
                TracksReactions = true,
            };
            links.Upsert(link);
            return link;
        });
    }

    /// <summary>Records that a person's reaction is on (<paramref name="present"/>) or off a linked message.</summary>
    /// <returns>False when the message has no link (nothing is stored for it) or the record already said so.</returns>
    public bool SetReaction(string platform, string channelId, string messageId, string userId, string emoji, bool present)
    {
        var key = Key(platform, channelId, messageId);
        var reaction = new MessageLinkReaction(Guard.Text(userId), Guard.Text(emoji));
        return _gate.Run(db =>
        {
            var links = db.GetCollection<MessageLink>(Names.MessageLinks);
            if (links.FindById(key) is not { } link || link.Reactions.Contains(reaction) == present) return false;
            var reactions = present ? [.. link.Reactions, reaction] : link.Reactions.Where(r => r != reaction).ToArray();
            links.Update(link with { Reactions = reactions });
            return true;
        });
    }

    /// <summary>The links of one platform stored at or after <paramref name="since"/>, newest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<MessageLink> Since(string platform, DateTimeOffset since, int max)
    {
        Guard.Text(platform);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return _gate.Run(db => db.GetCollection<MessageLink>(Names.MessageLinks)
            .Find(Query.And(Query.GTE(nameof(MessageLink.At), StorageMapper.Time(since)), Query.EQ(nameof(MessageLink.Platform), platform)))
            .OrderByDescending(l => l.At).Take(max).ToList());
    }

    /// <summary>The link of a message, or null when the bot did not send it (or forgot it).</summary>
    public MessageLink? Get(string platform, string channelId, string messageId)
    {
        var key = Key(platform, channelId, messageId);
        return _gate.Run(db => db.GetCollection<MessageLink>(Names.MessageLinks).FindById(key));
    }

    private static string Key(string platform, string channelId, string messageId) =>
        $"{Guard.Text(platform)}:{Guard.Text(channelId)}:{Guard.Text(messageId)}";
}
