using System.Diagnostics;
using System.Threading.Channels;
using static TorchSharp.torch;

namespace SkateBot.Vision.Inference;

public sealed record ModelHostOptions(int MaxBatchSize = 16, TimeSpan? MaxBatchDelay = null, int Threads = 0);

/// <summary>
/// Serves the current model to concurrent callers. Requests are queued and classified in batches of what is queued when
/// the previous batch ends (up to <see cref="ModelHostOptions.MaxBatchSize"/>): a lone request never waits, and a batch
/// that starts with two or more requests waits at most <see cref="ModelHostOptions.MaxBatchDelay"/> for more of the burst.
/// Every batch runs on one dedicated thread, which sets libtorch's thread count once (<see cref="ModelHostOptions.Threads"/>):
/// the count is per calling thread (OpenMP's), so set on a thread-pool thread it would hold only for the batches that
/// happened to run there, and classification would never run on (and block) the pool that serves replies and the gateway.
/// <see cref="Publish"/> swaps the model atomically (<see cref="Interlocked.Exchange{T}"/>): a batch already running finishes on
/// the old model, the next batch uses the new one, and the old one is disposed once nothing uses it.
/// </summary>
public sealed class ModelHost : IAsyncDisposable
{
    private readonly Channel<Request> queue = Channel.CreateUnbounded<Request>(new() { SingleReader = true });
    private readonly ModelHostOptions options;
    private readonly List<SkateClassifier> retired = [];
    private readonly Lock retiredLock = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SkateClassifier? current;

    private sealed record Request(float[][] Views, TaskCompletionSource<ClassificationResult> Done, CancellationToken Cancel);

    public ModelHost(ModelHostOptions? options = null)
    {
        this.options = options ?? new ModelHostOptions();
        new Thread(Serve) { IsBackground = true, Name = "SkateBot model host" }.Start();
    }

    /// <summary>Where the last batch ran and libtorch's thread count there (what the tests check).</summary>
    internal (int ThreadId, bool IsThreadPoolThread, int TorchThreads) LastBatch { get; private set; }

    public SkateClassifier? Current => Volatile.Read(ref current);
    public string? CurrentVersion => Current?.Version;
    public IReadOnlyList<string> Classes => Current?.Classes ?? [];
    public int InputSize => Current?.InputSize ?? 224;

    /// <summary>Makes <paramref name="next"/> the serving model; the host owns it from now on.</summary>
    public void Publish(SkateClassifier next)
    {
        var old = Interlocked.Exchange(ref current, next);
        if (old is not null && !ReferenceEquals(old, next)) lock (retiredLock) retired.Add(old);
    }

    /// <summary>The serving model's views of <paramref name="image"/> (see <see cref="SkateClassifier.Preprocess"/>).</summary>
    public float[][] Preprocess(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image) =>
        (Current ?? throw new ModelNotReadyException()).Preprocess(image);

    /// <summary>Classifies one preprocessed single-view input.</summary>
    public Task<ClassificationResult> ClassifyAsync(float[] input, CancellationToken ct = default) => ClassifyAsync([input], ct);

    /// <summary>Classifies one photo given as its views (<see cref="Preprocess"/>), batched with concurrent callers.</summary>
    public Task<ClassificationResult> ClassifyAsync(float[][] views, CancellationToken ct = default)
    {
        if (Current is null) throw new ModelNotReadyException();
        var request = new Request(views, new TaskCompletionSource<ClassificationResult>(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        if (!queue.Writer.TryWrite(request)) throw new ObjectDisposedException(nameof(ModelHost));
        return request.Done.Task.WaitAsync(ct);
    }

    /// <summary>The host's thread: waits for requests, runs each batch, until <see cref="DisposeAsync"/> completes the queue.</summary>
    private void Serve()
    {
        try
        {
            if (options.Threads > 0) TorchSharp.torch.set_num_threads(options.Threads);
            var delay = options.MaxBatchDelay ?? TimeSpan.FromMilliseconds(15);
            var reader = queue.Reader;
            while (WaitToRead(reader, Timeout.InfiniteTimeSpan))
            {
                var batch = new List<Request>();
                var started = Stopwatch.GetTimestamp();
                while (batch.Count < options.MaxBatchSize)
                {
                    if (reader.TryRead(out var r)) { if (!r.Cancel.IsCancellationRequested) batch.Add(r); continue; }
                    // A lone request runs at once: waiting for company it will not get would only add the delay to its latency.
                    // Two or more queued together mean a burst is arriving, so the batch may wait (up to the delay) to fill.
                    var left = delay - Stopwatch.GetElapsedTime(started);
                    if (batch.Count <= 1 || left <= TimeSpan.Zero || !WaitToRead(reader, left)) break;
                }
                if (batch.Count > 0) Run(batch);
                DisposeRetired();
            }
            DisposeRetired();
            stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            // Not expected (each batch's own failure goes to its callers): DisposeAsync rethrows it.
            stopped.TrySetException(ex);
        }
    }

    /// <summary>Blocks this (dedicated) thread until a request is queued: false when the queue is completed or
    /// <paramref name="timeout"/> passed first.</summary>
    private static bool WaitToRead(ChannelReader<Request> reader, TimeSpan timeout)
    {
        using var wait = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout);
        var pending = reader.WaitToReadAsync(wait?.Token ?? CancellationToken.None);
        if (pending.IsCompletedSuccessfully) return pending.Result;
        try { return pending.AsTask().GetAwaiter().GetResult(); }
        catch (OperationCanceledException) { return false; }
    }

    private void Run(List<Request> batch)
    {
        LastBatch = (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread, TorchSharp.torch.get_num_threads());
        var model = Current;
        if (model is null) { foreach (var r in batch) r.Done.TrySetException(new ModelNotReadyException()); return; }
        try
        {
            var results = model.Classify(batch.Select(r => r.Views).ToList());
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception ex)
        {
            foreach (var r in batch) r.Done.TrySetException(ex);
        }
    }

    private void DisposeRetired()
    {
        List<SkateClassifier> done;
        lock (retiredLock) { done = [.. retired]; retired.Clear(); }
        foreach (var m in done) m.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stopped.Task.ConfigureAwait(false);
        Interlocked.Exchange(ref current, null)?.Dispose();
    }
}
