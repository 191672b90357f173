using System.Threading.Channels;
using static TorchSharp.torch;

namespace SkateBot.Vision.Inference;

public sealed record ModelHostOptions(int MaxBatchSize = 16, TimeSpan? MaxBatchDelay = null, int Threads = 0);

/// <summary>
/// Serves the current model to concurrent callers. Requests are queued and classified in batches of what is queued when
/// the previous batch ends (up to <see cref="ModelHostOptions.MaxBatchSize"/>): a lone request never waits, and a batch
/// that starts with two or more requests waits at most <see cref="ModelHostOptions.MaxBatchDelay"/> for more of the burst.
/// <see cref="Publish"/> swaps the model atomically (<see cref="Interlocked.Exchange{T}"/>): a batch already running finishes on
/// the old model, the next batch uses the new one, and the old one is disposed once nothing uses it.
/// </summary>
public sealed class ModelHost : IAsyncDisposable
{
    private readonly Channel<Request> queue = Channel.CreateUnbounded<Request>(new() { SingleReader = true });
    private readonly ModelHostOptions options;
    private readonly List<SkateClassifier> retired = [];
    private readonly Lock retiredLock = new();
    private readonly Task loop;
    private SkateClassifier? current;

    private sealed record Request(float[][] Views, TaskCompletionSource<ClassificationResult> Done, CancellationToken Cancel);

    public ModelHost(ModelHostOptions? options = null)
    {
        this.options = options ?? new ModelHostOptions();
        loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

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

    private async Task RunAsync()
    {
        if (options.Threads > 0) TorchSharp.torch.set_num_threads(options.Threads);
        var delay = options.MaxBatchDelay ?? TimeSpan.FromMilliseconds(15);
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<Request>();
            var deadline = DateTime.UtcNow + delay;
            while (batch.Count < options.MaxBatchSize)
            {
                if (reader.TryRead(out var r)) { if (!r.Cancel.IsCancellationRequested) batch.Add(r); continue; }
                // A lone request runs at once: waiting for company it will not get would only add the delay to its latency.
                // Two or more queued together mean a burst is arriving, so the batch may wait (up to the delay) to fill.
                var left = deadline - DateTime.UtcNow;
                if (batch.Count <= 1 || left <= TimeSpan.Zero) break;
                using var wait = new CancellationTokenSource(left);
                try { if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break; }
                catch (OperationCanceledException) { break; }
            }
            if (batch.Count > 0) Run(batch);
            DisposeRetired();
        }
        DisposeRetired();
    }

    private void Run(List<Request> batch)
    {
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
        await loop.ConfigureAwait(false);
        Interlocked.Exchange(ref current, null)?.Dispose();
    }
}
