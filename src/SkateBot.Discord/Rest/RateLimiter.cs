using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;

namespace SkateBot.Discord.Rest;

/// <summary>
/// Client-side view of Discord's REST rate limits (https://discord.com/developers/docs/topics/rate-limits).
/// Nothing is hard-coded: limits are learnt from X-RateLimit-* headers. Routes map to an opaque bucket hash
/// (X-RateLimit-Bucket) which, together with the top-level resource, keys a <see cref="RateLimitBucket"/>.
/// A global 429 pauses every request until its retry_after has passed.
/// </summary>
internal sealed class RateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _routeBuckets = new();
    private readonly ConcurrentDictionary<string, RateLimitBucket> _buckets = new();
    private readonly Lock _globalLock = new();
    private DateTimeOffset _globalResumeAt = DateTimeOffset.MinValue;

    /// <summary>The bucket for a route: by learnt hash when known, else by the route itself until the first answer.</summary>
    public RateLimitBucket GetBucket(RestRoute route)
    {
        var hash = _routeBuckets.TryGetValue(route.Key, out var h) ? h : "route:" + route.Key;
        return _buckets.GetOrAdd(hash + "|" + route.Major, _ => new RateLimitBucket());
    }

    /// <summary>How long every request must still wait because of a global 429.</summary>
    public TimeSpan GlobalDelay()
    {
        lock (_globalLock)
        {
            var left = _globalResumeAt - time.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void PauseGlobal(TimeSpan retryAfter)
    {
        lock (_globalLock)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (until > _globalResumeAt) _globalResumeAt = until;
        }
    }

    /// <summary>Reads X-RateLimit-Bucket/Remaining/Reset-After (or Reset) and updates the bucket they describe.</summary>
    public void Update(RestRoute route, RateLimitBucket current, HttpResponseHeaders headers)
    {
        var bucket = current;
        if (Header(headers, "X-RateLimit-Bucket") is { Length: > 0 } hash)
        {
            _routeBuckets[route.Key] = hash;
            bucket = _buckets.GetOrAdd(hash + "|" + route.Major, _ => new RateLimitBucket());
        }
        var remaining = Number(headers, "X-RateLimit-Remaining");
        var resetAfter = Number(headers, "X-RateLimit-Reset-After");
        var reset = Number(headers, "X-RateLimit-Reset");
        if (remaining is null) return;
        // Reset-After is relative, so it does not depend on our clock agreeing with Discord's; Reset is the fallback.
        var now = time.GetUtcNow();
        var resetAt = resetAfter is { } after ? now + TimeSpan.FromSeconds(after)
            : reset is { } epoch ? DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000)) : now;
        foreach (var b in bucket == current ? [bucket] : new[] { bucket, current })
            b.Set((int)remaining.Value, resetAt);
    }

    internal static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    internal static double? Number(HttpResponseHeaders headers, string name) =>
        Header(headers, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>One rate-limit bucket. Requests in a bucket go one at a time so each sees the previous answer's headers.</summary>
internal sealed class RateLimitBucket
{
    private readonly Lock _lock = new();
    private int? _remaining;
    private DateTimeOffset _resetAt;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public void Set(int remaining, DateTimeOffset resetAt)
    {
        lock (_lock) { _remaining = remaining; _resetAt = resetAt; }
    }

    /// <summary>A 429 for this bucket: nothing more until <paramref name="until"/>.</summary>
    public void Block(DateTimeOffset until) => Set(0, until);

    /// <summary>Time to wait before the next request; zero while requests remain or once the window has reset.</summary>
    public TimeSpan Delay(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_remaining is not 0 || now >= _resetAt) return TimeSpan.Zero;
            return _resetAt - now;
        }
    }

    /// <summary>Counts a request sent, so concurrent callers in one window do not all assume one is left.</summary>
    public void Consume()
    {
        lock (_lock) { if (_remaining > 0) _remaining--; }
    }
}
