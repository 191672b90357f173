using System.Diagnostics;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SkateBot.Vision.Training;

public sealed record FineTuneResult(IReadOnlyList<EpochResult> Epochs, EvaluationResult Validation, TimeSpan Duration, int SkippedImages)
{
    /// <summary>Temperature fitted on the validation set (1 when not calibrated).</summary>
    public double Temperature { get; init; } = 1;
    public int CompositeImages { get; init; }

    /// <summary>Image views whose frozen-body features this run computed (cached ones not counted); <see cref="FrozenRepeatedRows"/>
    /// of them were copies of an identical view, the rest went through the body.</summary>
    public int FrozenBodyForwards { get; init; }

    /// <summary>Image views whose frozen-body features came from the <see cref="FeatureCache"/>.</summary>
    public int CachedFeatureRows { get; init; }

    /// <summary>Rows among <see cref="FrozenBodyForwards"/> copied from an identical view of the same photo instead of forwarded.</summary>
    public int FrozenRepeatedRows { get; init; }

    /// <summary>What forwarded the frozen body's views (<see cref="FrozenPhase.BodyEngine"/>).</summary>
    public string FrozenBodyEngine { get; init; } = "torchsharp";
}

/// <summary>
/// fast.ai's <c>fine_tune</c>: epochs with the pretrained body frozen (only the head learns, on body features computed
/// once — the difference between seconds and minutes on 2 CPU cores), then epochs with everything unfrozen, discriminative
/// learning rates and a one-cycle schedule, AdamW throughout. Class imbalance is handled with inverse-frequency loss weights.
/// </summary>
/// <param name="featureCache">Keeps frozen-body features across runs (null: computed every run).</param>
internal sealed class FineTuner(FineTuneOptions options, Device device, ITrainingObserver? observer = null, FeatureCache? featureCache = null)
{
    private readonly ITrainingObserver observer = observer ?? NullTrainingObserver.Instance;

    public FineTuneResult Run(SkateNet model, InputConvention convention, TrainingSet set, CancellationToken ct = default)
    {
        options.Validate();
        set.Validate();
        torch.set_num_threads(options.Threads);
        torch.manual_seed(options.Seed);
        var rng = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        var augmenter = new Augmenter(options.Augment);
        var size = convention.Size;

        var (train, valid, skipped, composites) = Prepare(set, ct);
        using var trainImages = train;
        using var validImages = valid;
        var classWeights = ClassWeights(train, set);
        var validLabels = valid.Items.Select(i => i.Example.ClassIndex).ToList();
        // Made on demand, a batch at a time: three views of a 224² photo are 1.8 MB as floats (180 MB for 100 photos).
        var validInputs = new LazyViews(valid, options.Preprocessing, size);

        model.to(device);
        var epochs = new List<EpochResult>();
        FrozenPhase? frozen = null;
        if (options.FrozenEpochs > 0)
        {
            frozen = new FrozenPhase(options, device, observer, classWeights, featureCache);
            epochs.AddRange(frozen.Run(model, convention, train, valid, augmenter, rng, ct));
        }
        if (options.UnfrozenEpochs > 0)
            epochs.AddRange(new UnfrozenPhase(options, device, observer, classWeights)
                .Run(model, convention, train, validInputs, validLabels, augmenter, rng, ct));

        model.eval();
        // The body did not change after the frozen phase when nothing was unfrozen: its validation features still hold,
        // so only the head runs. Either way the logits are computed once and calibration re-reads them.
        var headOnly = frozen?.ValidFeatures is not null && options.UnfrozenEpochs == 0;
        // The logits are computed here, so the samples need no views of their own.
        var samples = valid.Items.Select(item => new EvaluationSample(item.Example.Id, item.Example.ClassIndex, [], item.Image)).ToList();
        var logits = headOnly
            ? HeadLogits(model, frozen!.ValidFeatures!, InputViews.Count(options.Preprocessing), valid.Items.Count)
            : Evaluator.Logits(model, convention, device, validInputs, options.BatchSize, ct);
        var evaluation = Evaluator.FromLogits(set.Classes, samples, logits);
        var temperature = options.Calibrate
            ? Calibration.Temperature.Fit(evaluation.Items.Select(i => i.Logits).ToList(), evaluation.Items.Select(i => i.Actual).ToList())
            : 1;
        if (temperature != 1)
        {
            observer.Message($"Calibrated on {samples.Count} validation images: temperature {temperature:0.00}.");
            evaluation = Evaluator.FromLogits(set.Classes, samples, logits, temperature);
        }
        return new FineTuneResult(epochs, evaluation, clock.Elapsed, skipped) {
            Temperature = temperature, CompositeImages = composites,
            FrozenBodyForwards = frozen?.BodyForwards ?? 0, CachedFeatureRows = frozen?.CachedRows ?? 0, FrozenRepeatedRows = frozen?.RepeatedRows ?? 0,
            FrozenBodyEngine = frozen?.BodyEngine ?? "torchsharp",
        };
    }

    /// <summary>
    /// Computes and stores in the feature cache the frozen body's features that <see cref="Run"/> on <paramref name="set"/>
    /// with this model would read (its plain and augmented views, composites included), training nothing: done when the
    /// service is idle, the next retrain's frozen phase then forwards only what was labelled since. No frozen epochs: nothing to do.
    /// </summary>
    public FeatureWarmResult Warm(SkateNet model, InputConvention convention, TrainingSet set, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(featureCache, "featureCache");
        options.Validate();
        set.Validate();
        if (options.FrozenEpochs == 0) return FeatureWarmResult.None;
        torch.set_num_threads(options.Threads);
        var clock = Stopwatch.StartNew();
        var (train, valid, _, _) = Prepare(set, ct);
        using var trainImages = train;
        using var validImages = valid;
        model.to(device);
        var frozen = new FrozenPhase(options, device, observer, ClassWeights(train, set), featureCache);
        frozen.Warm(model, convention, train, valid, new Augmenter(options.Augment), ct);
        return new FeatureWarmResult(frozen.CachedRows, frozen.BodyForwards, frozen.RepeatedRows, clock.Elapsed);
    }

    /// <summary>The run's images, decoded and downsized, with the composites added to the training ones.</summary>
    private (PreparedImages Train, PreparedImages Valid, int Skipped, int Composites) Prepare(TrainingSet set, CancellationToken ct)
    {
        var train = PreparedImages.Load(set.Train, options.WorkingSide, observer, ct, options.Threads);
        PreparedImages? valid = null;
        try
        {
            valid = PreparedImages.Load(set.Valid, options.WorkingSide, observer, ct, options.Threads);
            var skipped = set.Train.Count + set.Valid.Count - train.Items.Count - valid.Items.Count;
            if (train.Items.Count < 2) throw new Data.DatasetException("Fewer than two training images could be read; nothing to train on.");
            var composites = Composites.AddTo(train, set.Classes, options.CompositesPerStudioImage, options.Seed);
            if (composites > 0) observer.Message($"Added {composites} composites (studio skates pasted into wild photos).");
            return (train, valid, skipped, composites);
        }
        catch
        {
            valid?.Dispose();
            train.Dispose();
            throw;
        }
    }

    private double[] ClassWeights(PreparedImages train, TrainingSet set)
    {
        var weights = TensorBatches.ClassWeights(train.Items.Select(i => (i.Example.ClassIndex, i.Example.Weight)), set.Classes.Count);
        var other = set.Classes.ToList().IndexOf(Inference.Answering.OtherClass);
        if (other >= 0) weights[other] *= options.OtherClassWeight;
        return weights;
    }

    /// <summary>The head's logits on body features ([photos·views × 512]), averaged over each photo's views.</summary>
    private List<double[]> HeadLogits(SkateNet model, float[] features, int views, int photos)
    {
        if (photos == 0) return [];
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.Head.eval();
        var raw = model.Head.forward(tensor(features, [photos * views, ResNet18Backbone.FeatureCount]).to(device)).cpu().data<float>().ToArray();
        return Inference.ViewCascade.Average(raw, Enumerable.Repeat(views, photos).ToList(), (int)model.Head.OutputCount);
    }
}

/// <summary>What <see cref="FineTuner.Warm"/> did: rows already cached, rows computed (forwarded, or copied from an identical view).</summary>
public sealed record FeatureWarmResult(int CachedRows, int ComputedRows, int RepeatedRows, TimeSpan Duration)
{
    public static FeatureWarmResult None { get; } = new(0, 0, 0, TimeSpan.Zero);
}

/// <summary>The inference views of prepared images, made when an index is read (nothing is kept).</summary>
internal sealed class LazyViews(PreparedImages images, string preprocessing, int size) : IReadOnlyList<float[][]>
{
    public float[][] this[int index] => InputViews.Make(images.Items[index].Image, preprocessing, size);
    public int Count => images.Items.Count;
    public IEnumerator<float[][]> GetEnumerator() { for (var i = 0; i < Count; i++) yield return this[i]; }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
