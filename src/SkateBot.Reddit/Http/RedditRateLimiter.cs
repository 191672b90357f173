using System.Globalization;
using System.Net.Http.Headers;

namespace SkateBot.Reddit;

/// <summary>
/// Keeps requests within Reddit's budget using the <c>x-ratelimit-remaining/-used/-reset</c> headers (kemitche,
/// r/redditdev "Formal ratelimiting headers"; remaining may be "599.0" or "990", reset is seconds until the window
/// ends). Each request reserves one unit of the remaining budget, and reservations are spread evenly over the time
/// left in the window (like prawcore's rate_limit.py), so the budget can never be exceeded. With remaining at 0 it
/// waits for the reset. Before any header is seen, and after a window ends, a default budget (100 per minute, the
/// free tier's rate) applies. The window end is padded by <see cref="ResetMargin"/> because Reddit rounds reset down.
/// </summary>
public sealed class RedditRateLimiter
{
    public static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly int _defaultBudget;
    private readonly Lock _lock = new();
    private DateTimeOffset? _windowEnd;
    private double _remaining;
    private DateTimeOffset _nextSlot;
    private DateTimeOffset _pausedUntil;

    public RedditRateLimiter(TimeProvider time, int defaultRequestsPerMinute = 100)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultRequestsPerMinute, 1);
        _time = time;
        _defaultBudget = defaultRequestsPerMinute;
    }

    /// <summary>Budget left in the current window as this limiter sees it (after its own reservations).</summary>
    public double Remaining { get { lock (_lock) return _remaining; } }

    /// <summary>When the current window ends (padded), or null before the first request.</summary>
    public DateTimeOffset? WindowEnd { get { lock (_lock) return _windowEnd; } }

    /// <summary>Waits until a request may be sent and reserves one unit of budget for it.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = TryReserve(out var reserved);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            if (reserved)
                return;
        }
    }

    /// <summary>Reads the budget from a response. Responses without the headers (CDN-cached, some errors) leave the
    /// local estimate, which already counted the request, unchanged.</summary>
    public void Update(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Update(First(headers, "x-ratelimit-remaining"), First(headers, "x-ratelimit-used"), First(headers, "x-ratelimit-reset"));
    }

    public void Update(string? remaining, string? used, string? reset)
    {
        _ = used; // Reported for logging by callers; the budget follows from remaining and reset alone.
        if (!TryParseNumber(remaining, out var rem) || !TryParseNumber(reset, out var resetSeconds))
            return;
        lock (_lock)
        {
            _remaining = Math.Max(0, Math.Floor(rem));
            _windowEnd = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, resetSeconds)) + ResetMargin;
        }
    }

    /// <summary>Stops all requests until <paramref name="delay"/> (plus <see cref="ResetMargin"/>) has passed, e.g. a
    /// 429's Retry-After; the window's remaining budget is kept for afterwards.</summary>
    public void PauseFor(TimeSpan delay)
    {
        lock (_lock)
        {
            var until = _time.GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero) + ResetMargin;
            if (until > _pausedUntil)
                _pausedUntil = until;
        }
    }

    /// <summary>Time until the current window ends, or null when no window is known.</summary>
    public TimeSpan? TimeToReset()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            return _windowEnd is { } end && end > now ? end - now : null;
        }
    }

    private TimeSpan TryReserve(out bool reserved)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now < _pausedUntil)
            {
                reserved = false;
                return _pausedUntil - now;
            }
            if (_windowEnd is null || now >= _windowEnd)
            {
                _windowEnd = now + DefaultWindow;
                _remaining = _defaultBudget;
            }
            if (_remaining < 1)
            {
                reserved = false;
                return _windowEnd.Value - now;
            }
            var slot = _nextSlot > now ? _nextSlot : now;
            var left = _windowEnd.Value - slot;
            _nextSlot = slot + (left > TimeSpan.Zero ? left / _remaining : TimeSpan.Zero);
            _remaining -= 1;
            reserved = true;
            return slot - now;
        }
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static bool TryParseNumber(string? value, out double number) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
}
