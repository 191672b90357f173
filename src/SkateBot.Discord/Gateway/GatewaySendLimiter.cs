namespace SkateBot.Discord.Gateway;

/// <summary>
/// "Apps can send 120 gateway events per connection every 60 seconds"; going over closes the connection with 4008
/// (gateway.mdx "Rate Limiting"). A sliding window: a send waits until fewer than <c>limit</c> sends happened in the
/// last <c>window</c>, so no 60 s span ever holds more than 120, whatever the alignment.
/// </summary>
internal sealed class GatewaySendLimiter(TimeProvider time, int limit = 120, TimeSpan? window = null)
{
    private readonly TimeSpan _window = window ?? TimeSpan.FromSeconds(60);
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WaitAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                while (_sent.Count > 0 && _sent.Peek() <= now - _window)
                    _sent.Dequeue();
                if (_sent.Count < limit)
                {
                    _sent.Enqueue(now);
                    return;
                }
                await Task.Delay(_sent.Peek() + _window - now, time, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
