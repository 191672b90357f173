namespace SkateBot.Vision.Training;

/// <summary>
/// fast.ai <c>fine_tune</c> defaults: <c>freeze_epochs</c> with only the head training at <c>base_lr</c>, then the
/// whole network at <c>base_lr/2</c> with discriminative rates down to 1/100 for the earliest layers.
/// </summary>
public sealed record FineTuneOptions
{
    public int FrozenEpochs { get; init; } = 3;
    public int UnfrozenEpochs { get; init; } = 4;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Ratio between the head's and the earliest layers' learning rate in the unfrozen epochs (fast.ai's <c>lr_mult</c>,
    /// 100, as there; a wider body rate made fine-tuning unstable on the sample set).
    /// </summary>
    public double LayerRateSpread { get; init; } = 100;

    /// <summary>
    /// Images whose body activations are held at once in an unfrozen step (the batch's gradient is the same, see
    /// <c>UnfrozenPhase.MicroBatchedBackward</c>); 0 or at least <see cref="BatchSize"/>: the whole batch at once, no extra
    /// forward. 8 of 16 took one unfrozen epoch on 40 images from 1.35 GB peak resident to 1.15 GB (bench/README.md).
    /// Used only when <see cref="UnfreezeEarlyLayers"/> is on: from layer3 on the whole batch's activations are small.
    /// </summary>
    public int BodyMicroBatch { get; init; } = 8;

    /// <summary>
    /// Whether the body's first layer group (conv1 to layer2) also trains in the unfrozen epochs (fast.ai does, at 1/100 of
    /// the head's rate). Off (the default), those layers keep their ImageNet weights and the backward pass stops at
    /// layer3: on all the shared photos an unfrozen epoch took 24–29 s instead of 37–43 s with the same wild dev answers
    /// and one studio holdout photo fewer named wrong (README "Photos from the wild", row <i>late</i>).
    /// </summary>
    public bool UnfreezeEarlyLayers { get; init; }

    /// <summary>Augmented views per training image whose frozen-body features are cached (plus one plain view).</summary>
    public int CachedAugmentedViews { get; init; } = 4;

    /// <summary>Threads for libtorch on the training thread (inference keeps its own).</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Shorter side images are kept at in memory during training; crops are taken from this.</summary>
    public int WorkingSide { get; init; } = 256;

    /// <summary>How photos become input at validation and inference (<see cref="Imaging.InputViews"/>); recorded in the checkpoint.</summary>
    public string Preprocessing { get; init; } = Imaging.InputViews.Multi;

    /// <summary>
    /// Composites per studio shot (a skate on a plain background): the skate cut out and pasted small into a wild photo of
    /// the training set (<see cref="Imaging.Compositor"/>). 0 disables.
    /// </summary>
    public int CompositesPerStudioImage { get; init; } = 2;

    /// <summary>
    /// On CPU, forward the frozen phase's views through the body on ONNX Runtime (the body exported as serving exports
    /// the whole network) instead of libtorch: the same features within float rounding, in less time. Off: libtorch.
    /// </summary>
    public bool OnnxBodyFeatures { get; init; } = true;

    /// <summary>
    /// With <see cref="OnnxBodyFeatures"/> on the CPU, forward the frozen body's int8 export (the body the service serves
    /// in int8) when its activation ranges are known: a retrain starts from the champion, whose checkpoint carries them
    /// (<see cref="TrainingJob"/> sets <see cref="BodyRanges"/>). The head then learns from the features the served
    /// int8 body gives, 2-3x cheaper to compute. A run from the ImageNet body (<c>train</c>) has no ranges: float.
    /// </summary>
    public bool Int8BodyFeatures { get; init; } = true;

    /// <summary>The frozen body's activation ranges (the parent checkpoint's), for <see cref="Int8BodyFeatures"/>; null: none known.</summary>
    public IReadOnlyDictionary<string, float[]>? BodyRanges { get; init; }

    /// <summary>
    /// Loss weight of the <c>other</c> class (photos that are not inline skates) relative to a skate class after balancing:
    /// below 1 the model needs clearer evidence before it answers "unsure" for a skate photo.
    /// </summary>
    public double OtherClassWeight { get; init; } = 0.5;

    /// <summary>Fit a temperature on the validation set so the confidence shown is calibrated.</summary>
    public bool Calibrate { get; init; } = true;

    /// <summary>Train-time augmentation.</summary>
    public Imaging.AugmentOptions Augment { get; init; } = Imaging.AugmentOptions.Default;

    public void Validate()
    {
        if (FrozenEpochs < 0 || UnfrozenEpochs < 0 || FrozenEpochs + UnfrozenEpochs == 0)
            throw new ArgumentException("Train for at least one epoch (frozen or unfrozen); negative epochs are invalid.");
        if (BatchSize < 2) throw new ArgumentException("Batch size must be at least 2 (batch norm needs two samples).");
        if (LearningRate is <= 0 or > 1) throw new ArgumentException("Learning rate must be in (0, 1].");
        if (BodyMicroBatch < 0) throw new ArgumentException("The body micro-batch must be 0 (whole batch) or more.");
        if (Threads < 1) throw new ArgumentException("Threads must be at least 1.");
        if (OtherClassWeight is <= 0 or > 10) throw new ArgumentException("The other class weight must be in (0, 10].");
        if (CompositesPerStudioImage is < 0 or > 20) throw new ArgumentException("Composites per studio image must be 0..20.");
        Imaging.InputViews.Normalize(Preprocessing);
        Augment.Validate();
    }
}
