using System.Diagnostics;
using System.Runtime;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

/// <summary>
/// The frozen part of fine-tuning. The body is fixed, so its 512 features per image are computed once (one plain and
/// <see cref="FineTuneOptions.CachedAugmentedViews"/> augmented views per image) and the head trains on those.
/// With a <see cref="FeatureCache"/> they are also kept on disk by (body version, image pixels, view), so a retrain
/// on the same body forwards only the images it has not seen. Each augmented view is drawn from a generator seeded by
/// the image and the view's index, not by its place in the run, so it is the same view in every run (and reusable).
/// Views are made and forwarded one batch at a time: only the features stay in memory. fast.ai's default
/// <c>pct_start=0.99</c> for this phase is kept.
/// </summary>
internal sealed class FrozenPhase(FineTuneOptions options, Device device, ITrainingObserver observer, double[] classWeights, FeatureCache? cache = null)
{
    public const string Name = "frozen";

    /// <summary>Bump when <see cref="InputViews"/> or <see cref="Augmenter"/> change the pixels they make: cached features of the old views are then never read.</summary>
    internal const string ViewsVersion = "views1";

    private const int Dim = ResNet18Backbone.FeatureCount;

    /// <summary>Rows (images × views) computed by this phase, not read from the cache; <see cref="RepeatedRows"/> of them were
    /// copies of an identical view, the rest went through the body.</summary>
    public int BodyForwards { get; private set; }

    /// <summary>What forwarded the body's views: "onnxruntime cpu (N threads)", or "torchsharp" (also when nothing was forwarded).</summary>
    public string BodyEngine { get; private set; } = "torchsharp";

    /// <summary>Time spent making the input views of the rows forwarded (decoding aside: images are prepared before); with
    /// runs side by side, summed over their threads.</summary>
    public TimeSpan MakingViews { get; private set; }

    /// <summary>Time spent forwarding them through the body (including starting ONNX Runtime on it); with runs side by
    /// side, summed over their threads.</summary>
    public TimeSpan Forwarding { get; private set; }

    /// <summary>Rows among <see cref="BodyForwards"/> that repeated an earlier view of their photo pixel for pixel and were
    /// copied from it instead of forwarded.</summary>
    public int RepeatedRows { get; private set; }

    /// <summary>Rows served from the cache.</summary>
    public int CachedRows { get; private set; }

    /// <summary>Body features of the validation photos' plain views ([Σviews × 512], photo by photo), for evaluating a head-only run.</summary>
    public float[]? ValidFeatures { get; private set; }

    private sealed record Entry(FeatureKey? Key, int Rows, Func<float[][]> Make);

    public List<EpochResult> Run(SkateNet model, InputConvention convention, PreparedImages train, PreparedImages valid,
        Augmenter augmenter, Random rng, CancellationToken ct)
    {
        model.FreezeBody();
        var (entries, labels, weights, validEntries) = Entries(model, convention, train, valid, augmenter);

        float[] trainRows;
        try
        {
            trainRows = Features(model, convention, entries, ct);
            ValidFeatures = Features(model, convention, validEntries, ct);
        }
        finally
        {
            onnxBody?.Dispose();
            onnxBody = null;
        }
        cache?.Trim();
        ReportCache();

        var plainViews = InputViews.Count(options.Preprocessing);
        using var trainFeatures = tensor(trainRows, [labels.Count, Dim]).to(device);
        using var validFeatures = tensor(ValidFeatures, [ValidFeatures.Length / Dim, Dim]).to(device);
        var validViews = valid.Items.Select(_ => plainViews).ToList();
        using var y = TensorBatches.Labels(labels, device);
        using var w = TensorBatches.Weights(weights, device);
        using var validY = TensorBatches.Labels(valid.Items.Select(i => i.Example.ClassIndex), device);

        // The head's tensors are tiny: extra intra-op threads only add synchronisation (badly so on a busy 2-core box).
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            return TrainHead(model, trainFeatures, validFeatures, validViews, y, w, validY, labels.Count, rng, ct).ToList();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private void ReportCache()
    {
        if (cache is not null) observer.Message($"Body features: {CachedRows} rows from the cache, {BodyForwards} computed on {BodyEngine}{(RepeatedRows > 0 ? $" ({RepeatedRows} of them copies of an identical view, not forwarded)" : "")} " +
            $"(views made in {MakingViews.TotalSeconds:0.0} s, forwarded in {Forwarding.TotalSeconds:0.0} s{(runsSideBySide ? ", thread time summed over the runs side by side" : "")}; {cache.Directory}).");
    }

    /// <summary>
    /// Computes and stores the features <see cref="Run"/> on these images would read (every entry, training and
    /// validation), training nothing; what is cached already is only read. Needs a cache.
    /// </summary>
    public void Warm(SkateNet model, InputConvention convention, PreparedImages train, PreparedImages valid, Augmenter augmenter, CancellationToken ct)
    {
        if (cache is null) throw new InvalidOperationException("Warming the feature cache needs a feature cache.");
        model.FreezeBody();
        var (entries, _, _, validEntries) = Entries(model, convention, train, valid, augmenter);
        try
        {
            Features(model, convention, entries, ct);
            Features(model, convention, validEntries, ct);
        }
        finally
        {
            onnxBody?.Dispose();
            onnxBody = null;
        }
        cache.Trim();
        ReportCache();
    }

    /// <summary>The run's entries (training: one plain pass and the augmented views; validation: the plain views), with the
    /// training rows' labels and loss weights.</summary>
    private (List<Entry> Train, List<int> Labels, List<double> Weights, List<Entry> Valid) Entries(SkateNet model, InputConvention convention,
        PreparedImages train, PreparedImages valid, Augmenter augmenter)
    {
        var size = convention.Size;
        // int8 features are not float features: their own cache entries, keyed by the ranges too.
        var body = cache is null ? null : FeatureCache.BodyVersion(model.Body, convention);
        if (body is not null && Int8Body) body = Int8BodyVersion(body, options.BodyRanges!);
        var plainViews = InputViews.Count(options.Preprocessing);
        var plainVariant = $"{ViewsVersion};plain;{InputViews.Normalize(options.Preprocessing)};{size}";
        var augmentJson = System.Text.Json.JsonSerializer.Serialize(options.Augment);
        observer.Message($"Computing body features for {train.Items.Count} images × {1 + options.CachedAugmentedViews} views (frozen body)…");

        var entries = new List<Entry>();
        var labels = new List<int>();
        var weights = new List<double>();
        var hashes = train.Items.Select(i => FeatureCache.ImageHash(i.Image)).ToList();
        for (var v = 0; v <= options.CachedAugmentedViews; v++)
            for (var i = 0; i < train.Items.Count; i++)
            {
                var (example, image) = train.Items[i];
                var (k, hash) = (v, hashes[i]); // copies: the lambdas below run after the loop variables moved on
                // The plain pass adds each inference view as its own sample, so the head sees the photos as they will be shown.
                var rows = v == 0 ? plainViews : 1;
                var variant = v == 0 ? plainVariant : $"{ViewsVersion};aug{k};seed {options.Seed};{size};{augmentJson}";
                entries.Add(new Entry(body is null ? null : new FeatureKey(body, hash, variant), rows,
                    v == 0 ? () => InputViews.Make(image, options.Preprocessing, size) : () => [Augmented(augmenter, image, ViewRandom(hash, k), size)]));
                for (var r = 0; r < rows; r++)
                {
                    labels.Add(example.ClassIndex);
                    weights.Add(example.Weight * classWeights[example.ClassIndex] / rows);
                }
            }
        var validEntries = valid.Items.Select(item => new Entry(
            body is null ? null : new FeatureKey(body, FeatureCache.ImageHash(item.Image), plainVariant), plainViews,
            () => InputViews.Make(item.Image, options.Preprocessing, size))).ToList();
        return (entries, labels, weights, validEntries);
    }

    /// <summary>Images per ONNX Runtime run: its activations are allocated per run in proportion to the images in it, and on
    /// CPU a run of 4 costs per image what one of 16 does, so the smaller run keeps the phase's peak lower.</summary>
    internal const int ImagesPerOnnxRun = 4;

    /// <summary>ONNX Runtime runs side by side in the frozen phase: the run's training threads (one run when 1). Read from
    /// the options, not from libtorch's process-wide thread count, which another training in the process may change.</summary>
    private int ForwardWorkers => Math.Max(1, options.Threads);

    private Inference.OnnxForward? onnxBody;

    /// <summary>Whether the body's features come from ORT runs side by side (one thread each), not from one run.</summary>
    private bool runsSideBySide;
    private bool onnxBodyTried;

    /// <summary>Whether this run's features come from the body's int8 export (<see cref="FineTuneOptions.Int8BodyFeatures"/>).</summary>
    private bool Int8Body => options.Int8BodyFeatures && options.BodyRanges is { Count: > 0 } && options.OnnxBodyFeatures && device.type == DeviceType.CPU;

    /// <summary>A failure to start the int8 body falls back to float features, which must not be cached under int8 keys.</summary>
    private bool cacheWritesOff;

    /// <summary>The cache's body version for int8 features: the float body's version and the ranges that quantize it, hashed.</summary>
    internal static string Int8BodyVersion(string floatBodyVersion, IReadOnlyDictionary<string, float[]> ranges)
    {
        var text = "int8;" + Export.SkateNetQdqExporter.FormatTag + ";" + floatBodyVersion + ";" + string.Join(";", ranges.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Key + "=" + string.Join(",", r.Value.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }

    /// <summary>
    /// The frozen body on ONNX Runtime, made when the first batch needs forwarding (a run served wholly from the cache
    /// never exports): on CPU ONNX Runtime forwards a batch of views about twice as fast as libtorch here (README,
    /// "Performance"), and the frozen phase's features are most of a cold retrain's time. Null on CUDA (libtorch is fast
    /// there), when <see cref="FineTuneOptions.OnnxBodyFeatures"/> is off, or if ONNX Runtime cannot start (said once;
    /// libtorch then computes the features, as before).
    /// </summary>
    private Inference.OnnxForward? OnnxBody(SkateNet model, InputConvention convention)
    {
        if (onnxBodyTried) return onnxBody;
        onnxBodyTried = true;
        if (!options.OnnxBodyFeatures || device.type != DeviceType.CPU) return null;
        try
        {
            var graph = Int8Body
                ? Export.SkateNetQdqExporter.QuantizedBody(model.Body, convention, options.BodyRanges!)
                : Export.SkateNetOnnxExporter.ExportBody(model.Body, convention);
            onnxBody = Inference.OnnxForward.Create(graph, convention.Size, Dim,
                new Inference.InferenceOptions(Inference.InferenceEngine.Onnx, 1, Inference.OrtProvider.Cpu), null,
                imagesPerRun: ImagesPerOnnxRun);
            runsSideBySide = ForwardWorkers > 1;
            BodyEngine = (runsSideBySide ? $"onnxruntime cpu ({ForwardWorkers} runs side by side, 1 thread each)" : onnxBody.Provider) + (Int8Body ? ", int8" : "");
            // The export leaves copies of the weights behind as large-object garbage (state, wire buffers, the graph):
            // collected and compacted now, they do not sit under the phase's peak while the views are forwarded.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            observer.Message($"ONNX Runtime could not take the frozen body ({ex.GetType().Name}: {ex.Message}); libtorch computes its features.");
            cacheWritesOff = Int8Body;
        }
        return onnxBody;
    }

    /// <summary>Augmented view <paramref name="k"/> of an image: a generator seeded by the image's pixels, the view and the run's seed.</summary>
    private Random ViewRandom(string imageHash, int k)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{imageHash};{k};{options.Seed}"));
        return new Random(BitConverter.ToInt32(hash, 0));
    }

    private static float[] Augmented(Augmenter augmenter, SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image, Random rng, int size)
    {
        using var aug = augmenter.Augment(image, rng, size);
        return ImageTensorizer.ToChw(aug, size);
    }

    /// <summary>
    /// The entries' features, row-major in entry order: cached ones read, the rest made and forwarded a batch at a time
    /// (then stored), so at most about one batch of input views per worker is in memory.
    /// </summary>
    /// <remarks>
    /// On ONNX Runtime with more than one training thread, batches run side by side, one per thread, each making its own
    /// views and forwarding them on one ORT thread: on two cores one intra-op thread per run scales better than two
    /// threads splitting each convolution, and view making (a quarter of a cold run's time) no longer waits for the
    /// forward. Batches are fixed before any runs, in entry order, so what each one holds does not depend on timing.
    /// </remarks>
    private float[] Features(SkateNet model, InputConvention convention, List<Entry> entries, CancellationToken ct)
    {
        var offsets = new int[entries.Count];
        var total = 0;
        for (var i = 0; i < entries.Count; i++) { offsets[i] = total; total += entries[i].Rows * Dim; }
        var output = new float[total];
        model.Body.eval();

        var batches = new List<List<int>>();
        var batch = new List<int>();
        var batchRows = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var entry = entries[i];
            if (entry.Key is { } key && cache!.TryGet(key, entry.Rows, Dim) is { } stored)
            {
                stored.CopyTo(output.AsSpan(offsets[i]));
                CachedRows += entry.Rows;
                continue;
            }
            batch.Add(i);
            batchRows += entry.Rows;
            if (batchRows < options.BatchSize) continue;
            batches.Add(batch);
            (batch, batchRows) = ([], 0);
        }
        if (batch.Count > 0) batches.Add(batch);
        if (batches.Count == 0) return output;

        long making = 0, forwarding = 0;
        var repeated = 0;
        void Run(List<int> members)
        {
            ct.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            var views = new float[members.Count][][];
            for (var m = 0; m < members.Count; m++)
            {
                views[m] = entries[members[m]].Make();
                if (views[m].Length != entries[members[m]].Rows)
                    throw new InvalidOperationException($"Expected {entries[members[m]].Rows} views, made {views[m].Length}.");
            }
            // A view with the same pixels as an earlier one of its photo (a square photo's centre square is the padded
            // whole photo) is not forwarded: its row is a copy of that view's.
            var sameAs = views.Select(Inference.ViewCascade.SameAs).ToArray();
            var made = Stopwatch.GetTimestamp();
            Interlocked.Add(ref making, made - started);
            var rows = Forward(model, convention, views.SelectMany((v, m) => v.Where((_, k) => sameAs[m][k] == k)).ToList());
            Interlocked.Add(ref forwarding, Stopwatch.GetTimestamp() - made);
            var at = 0;
            for (var m = 0; m < members.Count; m++)
            {
                var target = output.AsSpan(offsets[members[m]], views[m].Length * Dim);
                at += Inference.ViewCascade.SpreadRows(rows.AsSpan(at * Dim), sameAs[m], Dim, target);
                Interlocked.Add(ref repeated, views[m].Length - Inference.ViewCascade.Forwarded(sameAs[m]));
                if (entries[members[m]].Key is { } key && !cacheWritesOff) cache!.Put(key, target, views[m].Length, Dim);
            }
            CollectViews();
        }

        var startOrt = Stopwatch.GetTimestamp();
        var workers = OnnxBody(model, convention) is null ? 1 : Math.Min(ForwardWorkers, batches.Count);
        forwarding += Stopwatch.GetTimestamp() - startOrt;
        if (workers == 1)
        {
            foreach (var members in batches) Run(members);
        }
        else
        {
            // Batches in order, each taken by the next free worker (a worker holds one batch of views), on threads of the
            // run's own: they share a background retrain's lowered CPU priority, and a failure comes out as thrown, so
            // callers tell a cancellation or a bad image from other failures by type, as on one thread.
            Devices.OwnThreads.ForEach(batches, workers, Run, ct);
        }
        MakingViews += Stopwatch.GetElapsedTime(0, making);
        Forwarding += Stopwatch.GetElapsedTime(0, forwarding);
        BodyForwards += batches.Sum(b => b.Sum(i => entries[i].Rows));
        RepeatedRows += repeated;
        return output;
    }

    /// <summary>Body features [views × 512] of one batch of views, on ONNX Runtime or libtorch.</summary>
    private float[] Forward(SkateNet model, InputConvention convention, List<float[]> views)
    {
        if (onnxBody is { } onnx) return onnx.Forward(views);
        using (no_grad())
        using (NewDisposeScope())
        {
            var x = convention.Apply(TensorBatches.Stack(views, convention.Size, device));
            return model.Body.forward(x).cpu().data<float>().ToArray();
        }
    }

    private IEnumerable<EpochResult> TrainHead(SkateNet model, Tensor trainFeatures, Tensor validFeatures, List<int> validViews, Tensor y, Tensor w, Tensor validY,
        int n, Random rng, CancellationToken ct)
    {
        var batches = Math.Max(1, n / options.BatchSize); // drop_last, as fast.ai does for training
        using var optimizer = optim.AdamW(model.Head.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var schedule = new OneCycleSchedule(options.FrozenEpochs * batches, pctStart: 0.99);
        var step = 0;
        observer.PhaseStarted(Name, options.FrozenEpochs, batches);
        for (var epoch = 0; epoch < options.FrozenEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.Head.train();
            var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
            double lossSum = 0;
            for (var b = 0; b < batches; b++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var bs = b == batches - 1 ? n - b * options.BatchSize : options.BatchSize; // the remainder joins the last batch
                var idx = tensor(order.Skip(b * options.BatchSize).Take(bs).Select(i => (long)i).ToArray()).to(device);
                schedule.Apply(optimizer, [options.LearningRate], step++);
                optimizer.zero_grad();
                var loss = WeightedLoss.Compute(model.Head.forward(trainFeatures.index_select(0, idx)), y.index_select(0, idx), w.index_select(0, idx));
                loss.backward();
                optimizer.step();
                var value = loss.item<float>();
                lossSum += value;
                observer.BatchCompleted(Name, epoch + 1, b + 1, batches, value);
            }
            model.Head.eval();
            var (validLoss, error) = ValidationMetrics.FromLogits(() => MeanOverViews(model.Head.forward(validFeatures), validViews), validY);
            var result = new EpochResult(Name, epoch + 1, options.FrozenEpochs, lossSum / batches, validLoss, error, clock.Elapsed);
            observer.EpochCompleted(result);
            yield return result;
        }
    }

    /// <summary>
    /// Each view is a 600 KB float array on the large-object heap, which is collected only with generation 2: over a
    /// run of 3,500 views the garbage piled up under the peak. A blocking collection after each batch (the live managed
    /// heap is small: pixels are ImageSharp's unmanaged buffers) costs milliseconds against the batch's forward.
    /// </summary>
    internal static void CollectViews() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);

    /// <summary>[Σviews, C] logits to [photos, C], averaging each photo's consecutive view rows.</summary>
    internal static Tensor MeanOverViews(Tensor logits, List<int> viewsPerPhoto)
    {
        if (viewsPerPhoto.All(v => v == 1)) return logits;
        var classes = (int)logits.shape[1];
        var mean = Inference.ViewCascade.Average(logits.cpu().data<float>().ToArray(), viewsPerPhoto, classes);
        return tensor(mean.SelectMany(m => m.Select(x => (float)x)).ToArray(), [mean.Count, classes]).to(logits.device);
    }
}
