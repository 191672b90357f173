namespace SkateBot.Vision.Devices;

/// <summary>
/// Work shared by threads of its own, started by the caller (who is one of them): unlike the thread pool's, they inherit
/// the caller's CPU priority (<see cref="CpuPriority"/>) and end with the work. Items are taken one at a time in order,
/// each by the next free thread (what <c>Parallel.ForEach</c> with a no-buffering partitioner did); the first failure
/// stops the others from taking more and is rethrown as it was thrown.
/// </summary>
internal static class OwnThreads
{
    public static void ForEach<T>(IReadOnlyList<T> items, int threads, Action<T> body, CancellationToken ct)
    {
        var next = -1;
        Exception? failure = null;
        void Work()
        {
            try
            {
                while (Volatile.Read(ref failure) is null)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= items.Count) return;
                    ct.ThrowIfCancellationRequested();
                    body(items[i]);
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        }

        var helpers = Enumerable.Range(1, Math.Clamp(threads, 1, Math.Max(1, items.Count)) - 1)
            .Select(k => new Thread(Work) { IsBackground = true, Name = $"skatebot-worker-{k}" }).ToList();
        foreach (var helper in helpers) helper.Start();
        Work();
        foreach (var helper in helpers) helper.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}
