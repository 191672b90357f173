using System.Diagnostics;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

/// <summary>
/// The unfrozen part of fine-tuning: every layer trains on freshly augmented images, at fast.ai's <c>base_lr/2</c> with
/// <c>slice(lr/100, lr)</c> spread over the layer groups and a one-cycle schedule (<c>pct_start=0.3</c>, <c>div=5</c>);
/// with <see cref="FineTuneOptions.UnfreezeEarlyLayers"/> off, every layer from layer3 on.
/// </summary>
internal sealed class UnfrozenPhase(FineTuneOptions options, Device device, ITrainingObserver observer, double[] classWeights)
{
    public const string Name = "unfrozen";

    public IEnumerable<EpochResult> Run(SkateNet model, InputConvention convention, PreparedImages train,
        IReadOnlyList<float[][]> validInputs, List<int> validLabels, Augmenter augmenter, Random rng, CancellationToken ct)
    {
        var size = convention.Size;
        var early = options.UnfreezeEarlyLayers;
        var top = options.LearningRate / 2;
        // The rates are spread over every group, so the groups that train keep the rates they have when all do.
        var spread = OneCycleSchedule.Spread(top / options.LayerRateSpread, top, model.LayerGroups().Count);
        var groups = model.UnfreezeBody(early);
        var peaks = groups.Select(g => spread[g.Index]).ToArray(); // one per optimizer group, in its order
        using var optimizer = optim.AdamW(
            groups.Select((g, i) => new AdamW.ParamGroup(g.Parameters, lr: peaks[i], weight_decay: options.WeightDecay)),
            lr: top, weight_decay: options.WeightDecay);
        var n = train.Items.Count;
        var batches = Math.Max(1, n / options.BatchSize);
        var schedule = new OneCycleSchedule(options.UnfrozenEpochs * batches, pctStart: 0.3, div: 5);
        var step = 0;
        observer.PhaseStarted(Name, options.UnfrozenEpochs, batches);
        for (var epoch = 0; epoch < options.UnfrozenEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.TrainWithFrozenBodyStatistics();
            var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
            double lossSum = 0;
            for (var b = 0; b < batches; b++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var count = b == batches - 1 ? n - b * options.BatchSize : options.BatchSize; // remainder joins the last batch
                var picked = order.Skip(b * options.BatchSize).Take(count).Select(i => train.Items[i]).ToList();
                var inputs = picked.Select(p =>
                {
                    using var aug = augmenter.Augment(p.Image, rng, size);
                    return ImageTensorizer.ToChw(aug, size);
                }).ToList();
                var x = convention.Apply(TensorBatches.Stack(inputs, size, device));
                var y = TensorBatches.Labels(picked.Select(p => p.Example.ClassIndex), device);
                var w = TensorBatches.Weights(picked.Select(p => p.Example.Weight * classWeights[p.Example.ClassIndex]), device);
                schedule.Apply(optimizer, peaks, step++);
                optimizer.zero_grad();
                Tensor loss;
                if (!early)
                {
                    // The frozen layers once, without a graph; only layer3 onwards is back-propagated, the whole batch at
                    // once: from layer3 on a batch of 16 holds a few tens of MB, and slicing would cost another forward
                    // (500 drawn images, 1 thread: epoch 93 s, 1.53 GB with slices of 8; 79 s, 1.49 GB without).
                    Tensor early3;
                    using (no_grad()) early3 = model.Body.ForwardEarly(x).detach();
                    loss = WeightedLoss.Compute(model.Head.forward(model.Body.ForwardLate(early3)), y, w);
                    loss.backward();
                }
                else if (options.BodyMicroBatch > 0 && options.BodyMicroBatch < count)
                    loss = MicroBatchedBackward(model, x, y, w, options.BodyMicroBatch);
                else
                {
                    loss = WeightedLoss.Compute(model.forward(x), y, w);
                    loss.backward();
                }
                optimizer.step();
                var value = loss.item<float>();
                lossSum += value;
                observer.BatchCompleted(Name, epoch + 1, b + 1, batches, value);
                FrozenPhase.CollectViews();
            }
            model.eval();
            using var validY = TensorBatches.Labels(validLabels, device);
            var (validLoss, error) = ValidationMetrics.FromLogits(() => Forward(model, convention, validInputs), validY);
            var result = new EpochResult(Name, epoch + 1, options.UnfrozenEpochs, lossSum / batches, validLoss, error, clock.Elapsed);
            observer.EpochCompleted(result);
            yield return result;
        }
        model.FreezeBody();
    }

    /// <summary>
    /// The batch's gradients with the body's activations held for <paramref name="micro"/> images at a time, not the
    /// whole batch (about 30 MB per image at 224²): the body's features of the whole batch without a graph, the head and
    /// loss on them as one batch (its batch norms see all of it, as without micro-batches), then for each slice the body
    /// again with a graph, back-propagating the head's gradient for those features. The body's batch norms use their
    /// running statistics (<see cref="SkateNet.TrainWithFrozenBodyStatistics"/>) and it has no dropout, so each
    /// slice's features are the ones the head saw and the gradients are the whole batch's. Costs one extra body forward
    /// without a graph per batch. Returns the loss (already back-propagated).
    /// </summary>
    private static Tensor MicroBatchedBackward(SkateNet model, Tensor x, Tensor y, Tensor w, int micro)
    {
        Tensor features;
        using (no_grad()) features = model.Body.forward(x);
        var leaf = features.detach().requires_grad_(true);
        var loss = WeightedLoss.Compute(model.Head.forward(leaf), y, w);
        loss.backward();
        var grad = leaf.grad ?? throw new InvalidOperationException("The head's loss gave its input no gradient.");
        var n = x.shape[0];
        for (long start = 0; start < n; start += micro)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(micro, n - start);
            model.Body.forward(x.narrow(0, start, length)).backward([grad.narrow(0, start, length)]);
        }
        return loss;
    }

    private Tensor Forward(SkateNet model, InputConvention convention, IReadOnlyList<float[][]> inputs)
    {
        var classes = (int)model.Head.OutputCount;
        var rows = Evaluation.Evaluator.Logits(model, convention, device, inputs, options.BatchSize);
        return tensor(rows.SelectMany(r => r.Select(x => (float)x)).ToArray(), [rows.Count, classes]).to(device);
    }
}
