namespace SkateBot.Features.Discord;

/// <summary>
/// Reports progress text to an async sink at most once per interval (Discord edits are rate limited), one at a time, in
/// order; the latest text wins. <see cref="DrainAsync"/> waits for the edit in flight.
/// </summary>
public sealed class ThrottledProgress(TimeProvider time, TimeSpan interval, Func<string, Task> sink) : IProgress<string>
{
    private readonly Lock gate = new();
    private Task pending = Task.CompletedTask;
    private DateTimeOffset last = DateTimeOffset.MinValue;

    public void Report(string value)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now - last < interval || !pending.IsCompleted) return;
            last = now;
            pending = sink(value);
        }
    }

    public Task DrainAsync()
    {
        lock (gate) return pending;
    }
}
