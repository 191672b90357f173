using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SkateBot.Features.Retraining;
using SkateBot.Storage;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>When <see cref="RetrainingScheduler"/> starts a retrain, on a fake clock with the fake trainer and evaluator.</summary>
public sealed class RetrainingSchedulerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // a loaded 2-core machine (CI once took over 10 s to reach the trainer); passing runs take milliseconds
    private readonly FakeRetraining f = new();
    private readonly RecordingListener listener = new();

    public void Dispose() => f.Dispose();

    [Fact]
    public async Task Scheduler_NewLabelThresholdReached_RetrainsOnceAndTellsTheListeners()
    {
        f.Options.NewLabelThreshold = 2;
        f.Options.CheckInterval = TimeSpan.FromMinutes(1);
        using var scheduler = Scheduler();
        await scheduler.StartAsync(CancellationToken.None);

        Label("one");
        await Tick(3);
        Assert.Empty(f.Trainer.Requests); // one new label is below the threshold
        Label("two");
        await TickUntil(f.Trainer.Started);
        var (trigger, outcome) = await listener.Next().WaitAsync(Patience);

        Assert.Equal("2+ new labels", trigger);
        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        Assert.Single(f.Trainer.Requests);
        await Tick(3);
        Assert.Single(f.Trainer.Requests); // the labels that triggered it count no more
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_CountsLabelsFromItsStart_EvenWhenItsLoopStartsLate()
    {
        // Since .NET 10 the whole loop runs on a pool thread, which on a loaded machine starts well after StartAsync
        // returned (CI once saw it). Here it is held until labels were cast and the clock moved on: they must still count.
        f.Options.NewLabelThreshold = 2;
        f.Options.CheckInterval = TimeSpan.FromMinutes(1);
        using var clock = new LateLoopClock(f.Time);
        using var scheduler = new RetrainingScheduler(f.Service(), f.Db, Microsoft.Extensions.Options.Options.Create(f.Options), clock,
            NullLogger<RetrainingScheduler>.Instance, [listener]);
        await scheduler.StartAsync(CancellationToken.None);

        Label("one");
        Label("two");
        f.Time.Advance(TimeSpan.FromSeconds(30));
        clock.LetTheLoopRun();
        await TickUntil(f.Trainer.Started, scheduler);
        var (trigger, _) = await listener.Next().WaitAsync(Patience);

        Assert.Equal("2+ new labels", trigger);
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_CronDue_RetrainsAtTheScheduledHour()
    {
        f.Options.Schedule = "0 3 * * *";
        f.Options.NewLabelThreshold = 0;
        f.Options.CheckInterval = TimeSpan.FromHours(1);
        using var scheduler = Scheduler();
        await scheduler.StartAsync(CancellationToken.None);

        // The clock starts at 12:00 UTC and moves an hour per check: nothing runs before 03:00, a check at or after it does.
        await Tick(14);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 2, 0, 0, TimeSpan.Zero), f.Time.GetUtcNow());
        Assert.Empty(f.Trainer.Requests);
        await TickUntil(f.Trainer.Started);
        var (trigger, outcome) = await listener.Next().WaitAsync(Patience);

        Assert.Equal("schedule (0 3 * * *)", trigger);
        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        await scheduler.StopAsync(CancellationToken.None);
    }

    private RetrainingScheduler Scheduler() => new(f.Service(), f.Db, Microsoft.Extensions.Options.Options.Create(f.Options), f.Time,
        NullLogger<RetrainingScheduler>.Instance, [listener]);

    private void Label(string seed)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
        f.Db.Images.Put(sha, [1, 2, 3], 1, 1, new ImageOrigin("cli", seed, null, f.Time.GetUtcNow()));
        f.Db.Labels.Vote(sha, "inline", "user-" + seed, isOperator: false, "test");
    }

    /// <summary>Moves the clock one check interval at a time, giving the loop a moment after each.</summary>
    private async Task Tick(int intervals)
    {
        for (var i = 0; i < intervals; i++)
        {
            await Task.Delay(10);
            f.Time.Advance(f.Options.CheckInterval);
        }
        await Task.Delay(30);
    }

    /// <summary>Moves the clock one check interval at a time until <paramref name="task"/> completes, then no further; a
    /// scheduler loop that ended on an exception fails with it.</summary>
    private async Task TickUntil(Task task, RetrainingScheduler? scheduler = null)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!task.IsCompleted)
        {
            if (scheduler?.ExecuteTask is { IsCompleted: true } loop) await loop;
            Assert.False(patience.IsCancellationRequested, "the scheduler did not start a retrain");
            f.Time.Advance(f.Options.CheckInterval);
            await Task.WhenAny(task, Task.Delay(10));
        }
        await task;
    }

    /// <summary>The test's clock, except that a read from any thread but the test's waits until <see cref="LetTheLoopRun"/>.</summary>
    private sealed class LateLoopClock(TimeProvider inner) : TimeProvider, IDisposable
    {
        private readonly int _testThread = Environment.CurrentManagedThreadId;
        private readonly ManualResetEventSlim _open = new();

        public void LetTheLoopRun() => _open.Set();

        public override DateTimeOffset GetUtcNow()
        {
            if (Environment.CurrentManagedThreadId != _testThread) _open.Wait(Patience);
            return inner.GetUtcNow();
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public void Dispose() => _open.Dispose();
    }

    private sealed class RecordingListener : IRetrainListener
    {
        private readonly TaskCompletionSource<(string, RetrainOutcome)> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<(string Trigger, RetrainOutcome Outcome)> Next() => _next.Task;

        public Task OnRetrainedAsync(string trigger, RetrainOutcome outcome, CancellationToken ct)
        {
            _next.TrySetResult((trigger, outcome));
            return Task.CompletedTask;
        }
    }
}
