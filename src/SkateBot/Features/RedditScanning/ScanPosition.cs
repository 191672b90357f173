using System.Text.Json;
using SkateBot.Reddit;
using SkateBot.Storage;

namespace SkateBot.Features.RedditScanning;

/// <summary>
/// How far the scanner got, kept in storage so a restart neither reprocesses nor misses posts. One cursor per subreddit
/// (lower-case name → fullname), all in one cursor document (<see cref="Key"/>) so advancing is one write. A subreddit's
/// cursor is the newest post of the COMBINED listing it was polled in up to which everything was handled, not the
/// newest post of that subreddit: Reddit ids are one base-36 counter across subreddits, so a quiet subreddit does not
/// drag the next poll's anchor back, and a subreddit added later gets its own backfill instead of inheriting the others'
/// position. Posts are handled oldest first and the cursor moves after each one.
/// </summary>
public sealed class ScanPosition(SkateDatabase db)
{
    public const string Key = "reddit:newest";

    private readonly Lock _lock = new();
    private Dictionary<string, string>? _cursors;

    /// <summary>The cursor of <paramref name="subreddit"/>, or null when it was never polled.</summary>
    public string? Get(string subreddit)
    {
        lock (_lock)
            return Load().GetValueOrDefault(subreddit.ToLowerInvariant());
    }

    /// <summary>Moves the cursors of <paramref name="subreddits"/> forward to <paramref name="fullname"/> (never back).</summary>
    public void Advance(IEnumerable<string> subreddits, string fullname)
    {
        lock (_lock)
        {
            var cursors = Load();
            var changed = false;
            foreach (var name in subreddits.Select(s => s.ToLowerInvariant()))
            {
                if (cursors.TryGetValue(name, out var current) && RedditApiClient.CompareFullnames(current, fullname) >= 0) continue;
                cursors[name] = fullname;
                changed = true;
            }
            if (changed) db.Cursors.Set(Key, JsonSerializer.Serialize(cursors));
        }
    }

    private Dictionary<string, string> Load()
    {
        if (_cursors is not null) return _cursors;
        var stored = db.Cursors.Get(Key);
        _cursors = stored is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [], StringComparer.Ordinal);
        return _cursors;
    }
}
