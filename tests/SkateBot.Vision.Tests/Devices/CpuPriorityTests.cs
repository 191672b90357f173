using SkateBot.Vision.Devices;

namespace SkateBot.Vision.Tests.Devices;

/// <summary>
/// A background retrain lowers its own thread's priority and every thread it starts shares it, while other threads keep
/// theirs: what lets a retrain use every core with replies first.
/// </summary>
public sealed class CpuPriorityTests
{
    [SkippableFact]
    public void LoweredOnItsOwnThread_ThreadsItStartsShareIt_OthersKeepTheirs()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread nice values are a Linux property");
        var before = CpuPriority.CurrentThreadNice();
        var target = Math.Min(19, before + 5);
        Skip.If(target == before, $"this test process already runs at nice {before}");
        int lowered = -100, child = -100;
        var workers = new System.Collections.Concurrent.ConcurrentBag<int>();
        var set = false;

        var owner = new Thread(() =>
        {
            set = CpuPriority.LowerCurrentThread(target);
            lowered = CpuPriority.CurrentThreadNice();
            var started = new Thread(() => child = CpuPriority.CurrentThreadNice());
            started.Start();
            started.Join();
            OwnThreads.ForEach(Enumerable.Range(0, 8).ToList(), 3, _ =>
            {
                workers.Add(CpuPriority.CurrentThreadNice());
                Thread.Sleep(20); // long enough that the other workers take items too
            }, CancellationToken.None);
        });
        owner.Start();
        owner.Join();

        Assert.True(set, "setpriority refused to lower the thread's own priority");
        Assert.Equal((target, target), (lowered, child));
        Assert.Equal(8, workers.Count);
        Assert.All(workers, nice => Assert.Equal(target, nice));
        Assert.Equal(before, CpuPriority.CurrentThreadNice()); // the starting thread kept its own
        var pool = Task.Run(CpuPriority.CurrentThreadNice).Result;
        Assert.Equal(before, pool); // and so did the pool
    }

    [Fact]
    public void LowerCurrentThread_ZeroDoesNothing() => Assert.False(CpuPriority.LowerCurrentThread(0));
}

public sealed class OwnThreadsTests
{
    [Fact]
    public void ForEach_TakesEveryItemOnce_InOrderOfTaking_OnUpToTheThreadsAsked()
    {
        var taken = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        OwnThreads.ForEach(Enumerable.Range(0, 40).ToList(), 3, i =>
        {
            taken.Enqueue(i);
            threads[Environment.CurrentManagedThreadId] = true;
            Thread.Sleep(2);
        }, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 40), taken.Order());
        Assert.InRange(threads.Count, 1, 3);
    }

    [Fact]
    public void ForEach_AFailureComesOutAsThrown_AndStopsTheRest()
    {
        var done = 0;
        var ex = Assert.Throws<InvalidDataException>(() => OwnThreads.ForEach(Enumerable.Range(0, 1000).ToList(), 2, i =>
        {
            if (i == 3) throw new InvalidDataException("bad image 3");
            Interlocked.Increment(ref done);
            Thread.Sleep(1);
        }, CancellationToken.None));

        Assert.Equal("bad image 3", ex.Message);
        Assert.True(done < 999, $"{done} items ran after the failure");
    }

    [Fact]
    public void ForEach_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => OwnThreads.ForEach([1, 2, 3], 2, _ => { }, cts.Token));
    }
}
