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
}

/// <summary>
/// fast.ai's <c>fine_tune</c>: epochs with the pretrained body frozen (only the head learns, on body features computed
/// once — the difference between seconds and minutes on 2 CPU cores), then epochs with everything unfrozen, discriminative
/// learning rates and a one-cycle schedule, AdamW throughout. Class imbalance is handled with inverse-frequency loss weights.
/// </summary>
internal sealed class FineTuner(FineTuneOptions options, Device device, ITrainingObserver? observer = null)
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

        using var train = PreparedImages.Load(set.Train, options.WorkingSide, observer, ct);
        using var valid = PreparedImages.Load(set.Valid, options.WorkingSide, observer, ct);
        var skipped = set.Train.Count + set.Valid.Count - train.Items.Count - valid.Items.Count;
        if (train.Items.Count < 2) throw new Data.DatasetException("Fewer than two training images could be read; nothing to train on.");
        var composites = Composites.AddTo(train, set.Classes, options.CompositesPerStudioImage, rng);
        if (composites > 0) observer.Message($"Added {composites} composites (studio skates pasted into wild photos).");
        var classWeights = TensorBatches.ClassWeights(train.Items.Select(i => (i.Example.ClassIndex, i.Example.Weight)), set.Classes.Count);
        var other = set.Classes.ToList().IndexOf(Inference.Answering.OtherClass);
        if (other >= 0) classWeights[other] *= options.OtherClassWeight;
        var validInputs = valid.Items.Select(i => InputViews.Make(i.Image, options.Preprocessing, size)).ToList();
        var validLabels = valid.Items.Select(i => i.Example.ClassIndex).ToList();

        model.to(device);
        var epochs = new List<EpochResult>();
        var steps = new FrozenPhase(options, device, observer, classWeights);
        if (options.FrozenEpochs > 0)
            epochs.AddRange(steps.Run(model, convention, train, validInputs, validLabels, augmenter, rng, ct));
        if (options.UnfrozenEpochs > 0)
            epochs.AddRange(new UnfrozenPhase(options, device, observer, classWeights)
                .Run(model, convention, train, validInputs, validLabels, augmenter, rng, ct));

        model.eval();
        var samples = valid.Items.Select((item, i) => new EvaluationSample(item.Example.Id, item.Example.ClassIndex, validInputs[i], item.Image)).ToList();
        var evaluation = Evaluator.Evaluate(model, convention, device, set.Classes, samples, options.BatchSize);
        var temperature = options.Calibrate
            ? Calibration.Temperature.Fit(evaluation.Items.Select(i => i.Logits).ToList(), evaluation.Items.Select(i => i.Actual).ToList())
            : 1;
        if (temperature != 1)
        {
            observer.Message($"Calibrated on {samples.Count} validation images: temperature {temperature:0.00}.");
            evaluation = Evaluator.Evaluate(model, convention, device, set.Classes, samples, options.BatchSize, temperature: temperature);
        }
        return new FineTuneResult(epochs, evaluation, clock.Elapsed, skipped) { Temperature = temperature, CompositeImages = composites };
    }
}
