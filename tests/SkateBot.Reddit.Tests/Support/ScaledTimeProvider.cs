using System.Diagnostics;

namespace SkateBot.Reddit.Tests;

/// <summary>Real time running <c>scale</c> times faster, shared by the fake server and the client so that
/// Retry-After, back-off and rate-limit windows play out in milliseconds while keeping their order and ratios.</summary>
internal sealed class ScaledTimeProvider(double scale) : TimeProvider
{
    private readonly DateTimeOffset _start = TimeProvider.System.GetUtcNow();
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => _start + Stopwatch.GetElapsedTime(_startTimestamp) * scale;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    private TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero ? t : t / scale;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Scale(dueTime), owner.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
