using System.Globalization;
using SkateBot.Storage;

namespace SkateBot.Features.Discord;

/// <summary>
/// The direct-message channels people have sent the bot photos in, newest first, kept in the database (at most
/// <see cref="MaxKept"/>), so that after a restart <see cref="PhotoCatchUp"/> can read them as it reads the watched
/// channels. Discord offers no list of a bot's DM channels, so one the bot never saw cannot be caught up.
/// </summary>
public sealed class DirectChannels(SkateDatabase db, TimeProvider time)
{
    public const int MaxKept = 50;
    private const string Key = "discord:direct-channels";
    private readonly Lock _lock = new();

    /// <summary>Records a photo in the DM channel now. Never throws for a full disk (the photo matters more).</summary>
    public void Seen(string channelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        lock (_lock)
        {
            try
            {
                var now = time.GetUtcNow().ToUnixTimeSeconds();
                var kept = Read().Where(c => c.Id != channelId).Prepend((Id: channelId, At: now)).Take(MaxKept);
                db.Cursors.Set(Key, string.Join('\n', kept.Select(c => $"{c.Id} {c.At.ToString(CultureInfo.InvariantCulture)}")));
            }
            catch (StorageFullException)
            {
            }
        }
    }

    /// <summary>The channels with a photo within <paramref name="within"/>, newest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<string> Recent(TimeSpan within, int max)
    {
        var since = (time.GetUtcNow() - within).ToUnixTimeSeconds();
        lock (_lock)
            return [.. Read().Where(c => c.At >= since).Take(max).Select(c => c.Id)];
    }

    private IEnumerable<(string Id, long At)> Read()
    {
        foreach (var line in (db.Cursors.Get(Key) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
                yield return (parts[0], at);
        }
    }
}
