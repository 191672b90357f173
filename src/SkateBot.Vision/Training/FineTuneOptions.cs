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

    /// <summary>Augmented views per training image whose frozen-body features are cached (plus one plain view).</summary>
    public int CachedAugmentedViews { get; init; } = 4;

    /// <summary>Threads for libtorch on the training thread (inference keeps its own).</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Shorter side images are kept at in memory during training; crops are taken from this.</summary>
    public int WorkingSide { get; init; } = 256;

    public void Validate()
    {
        if (FrozenEpochs < 0 || UnfrozenEpochs < 0 || FrozenEpochs + UnfrozenEpochs == 0)
            throw new ArgumentException("Train for at least one epoch (frozen or unfrozen); negative epochs are invalid.");
        if (BatchSize < 2) throw new ArgumentException("Batch size must be at least 2 (batch norm needs two samples).");
        if (LearningRate is <= 0 or > 1) throw new ArgumentException("Learning rate must be in (0, 1].");
        if (Threads < 1) throw new ArgumentException("Threads must be at least 1.");
    }
}
