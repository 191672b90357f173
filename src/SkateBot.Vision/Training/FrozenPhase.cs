using System.Diagnostics;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

/// <summary>
/// The frozen part of fine-tuning. The body is fixed, so its 512 features per image are computed once (one plain and
/// <see cref="FineTuneOptions.CachedAugmentedViews"/> augmented views per image) and the head trains on those.
/// fast.ai's default <c>pct_start=0.99</c> for this phase is kept.
/// </summary>
internal sealed class FrozenPhase(FineTuneOptions options, Device device, ITrainingObserver observer, double[] classWeights)
{
    public const string Name = "frozen";

    public IEnumerable<EpochResult> Run(SkateNet model, InputConvention convention, PreparedImages train,
        List<float[][]> validInputs, List<int> validLabels, Augmenter augmenter, Random rng, CancellationToken ct)
    {
        var size = convention.Size;
        model.SetBodyTrainable(false);
        observer.Message($"Computing body features for {train.Items.Count} images × {1 + options.CachedAugmentedViews} views (frozen body)…");
        var views = new List<float[]>();
        var labels = new List<int>();
        var weights = new List<double>();
        for (var v = 0; v <= options.CachedAugmentedViews; v++)
            foreach (var (example, image) in train.Items)
            {
                // The plain pass adds each inference view as its own sample, so the head sees the photos as they will be shown.
                var made = v == 0 ? InputViews.Make(image, options.Preprocessing, size) : [Augmented(augmenter, image, rng, size)];
                foreach (var view in made)
                {
                    views.Add(view);
                    labels.Add(example.ClassIndex);
                    weights.Add(example.Weight * classWeights[example.ClassIndex] / made.Length);
                }
            }

        using var trainFeatures = Features(model, convention, views, ct);
        var validViews = validInputs.Select(v => v.Length).ToList();
        using var validFeatures = Features(model, convention, validInputs.SelectMany(v => v).ToList(), ct);
        using var y = TensorBatches.Labels(labels, device);
        using var w = TensorBatches.Weights(weights, device);
        using var validY = TensorBatches.Labels(validLabels, device);

        // The head's tensors are tiny: extra intra-op threads only add synchronisation (badly so on a busy 2-core box).
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            foreach (var r in TrainHead(model, trainFeatures, validFeatures, validViews, y, w, validY, views.Count, rng, ct)) yield return r;
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static float[] Augmented(Augmenter augmenter, SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image, Random rng, int size)
    {
        using var aug = augmenter.Augment(image, rng, size);
        return ImageTensorizer.ToChw(aug, size);
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

    /// <summary>[Σviews, C] logits to [photos, C], averaging each photo's consecutive view rows.</summary>
    internal static Tensor MeanOverViews(Tensor logits, List<int> viewsPerPhoto)
    {
        if (viewsPerPhoto.All(v => v == 1)) return logits;
        var classes = (int)logits.shape[1];
        var mean = ViewLogits.Average(logits.cpu().data<float>().ToArray(), viewsPerPhoto, classes);
        return tensor(mean.SelectMany(m => m.Select(x => (float)x)).ToArray(), [mean.Count, classes]).to(logits.device);
    }

    private Tensor Features(SkateNet model, InputConvention convention, List<float[]> inputs, CancellationToken ct)
    {
        model.Body.eval();
        var chunks = new List<Tensor>();
        using (no_grad())
        {
            for (var i = 0; i < inputs.Count; i += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = inputs.Skip(i).Take(options.BatchSize).ToList();
                var x = convention.Apply(TensorBatches.Stack(batch, convention.Size, device));
                chunks.Add(model.Body.forward(x).detach().MoveToOuterDisposeScope());
            }
        }
        if (chunks.Count == 0) return zeros([0, ResNet18Backbone.FeatureCount], device: device);
        var all = cat(chunks, 0);
        foreach (var c in chunks) c.Dispose();
        return all;
    }
}
