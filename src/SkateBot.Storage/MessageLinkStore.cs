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

    /// <summary>Stores (or replaces) the images answered by one message.</summary>
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

        var link = new MessageLink
        {
            Id = Key(platform, channelId, messageId),
            Platform = platform,
            ChannelId = channelId,
            MessageId = messageId,
            Items = normalised,
            At = _time.GetUtcNow(),
        };
        _gate.Run(db => db.GetCollection<MessageLink>(Names.MessageLinks).Upsert(link));
        return link;
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
