using SkateBot.Discord.Models;

namespace SkateBot.Discord.Gateway;

/// <summary>
/// Identify limits from GET /gateway/bot's session_start_limit (gateway.mdx "Session Start Limit"): at most
/// <c>remaining</c> identifies until <c>reset_after</c> ms pass (going over resets the token), and max_concurrency
/// identifies per 5 s. This client runs one shard, whose rate-limit key (shard_id % max_concurrency) therefore sees
/// at most one identify per window.
/// </summary>
internal sealed class IdentifyGate(TimeProvider time, TimeSpan window, SessionStartLimit? limit, Func<CancellationToken, Task<SessionStartLimit>>? refresh)
{
    private SessionStartLimit? _limit = limit;
    private DateTimeOffset _limitFetchedAt = time.GetUtcNow();
    private DateTimeOffset? _lastIdentify;

    public async Task WaitAsync(Action<TimeSpan> onBudgetExhausted, CancellationToken ct)
    {
        while (_limit is { Remaining: <= 0 } exhausted)
        {
            var wait = _limitFetchedAt + TimeSpan.FromMilliseconds(exhausted.ResetAfter) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                onBudgetExhausted(wait);
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
            _limit = refresh is null ? null : await refresh(ct).ConfigureAwait(false);
            _limitFetchedAt = time.GetUtcNow();
        }
        if (_lastIdentify is { } last && last + window - time.GetUtcNow() is { } gap && gap > TimeSpan.Zero)
            await Task.Delay(gap, time, ct).ConfigureAwait(false);
        _lastIdentify = time.GetUtcNow();
        if (_limit is not null)
            _limit = _limit with { Remaining = _limit.Remaining - 1 };
    }
}
