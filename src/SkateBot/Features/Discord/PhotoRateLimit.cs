namespace SkateBot.Features.Discord;

/// <summary>
/// Photos per person in a sliding minute (<see cref="DiscordOptions.PhotosPerUserPerMinute"/>): a flood from one person
/// cannot keep the model busy for everyone else. Over the limit, the first refused photo of a minute gets one polite note
/// (<see cref="Verdict.Warn"/>), later ones are skipped silently (<see cref="Verdict.Skip"/>).
/// </summary>
public sealed class PhotoRateLimit(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, (Queue<DateTimeOffset> Answered, DateTimeOffset? Warned)> _people = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public enum Verdict { Answer, Warn, Skip }

    public Verdict Take(string userId, int perMinute)
    {
        if (perMinute <= 0) return Verdict.Answer;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_people.Count > 10_000) Forget(now);
            var entry = _people.TryGetValue(userId, out var e) ? e : (new Queue<DateTimeOffset>(), null);
            while (entry.Answered.TryPeek(out var oldest) && now - oldest >= Window) entry.Answered.Dequeue();
            Verdict verdict;
            if (entry.Answered.Count < perMinute)
            {
                entry.Answered.Enqueue(now);
                verdict = Verdict.Answer;
            }
            else if (entry.Warned is { } warned && now - warned < Window)
            {
                verdict = Verdict.Skip;
            }
            else
            {
                entry.Warned = now;
                verdict = Verdict.Warn;
            }
            _people[userId] = entry;
            return verdict;
        }
    }

    /// <summary>Drops people with nothing in the window, so the table stays small.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (user, entry) in _people.ToList())
            if (entry.Answered.All(t => now - t >= Window) && (entry.Warned is null || now - entry.Warned >= Window))
                _people.Remove(user);
    }
}
