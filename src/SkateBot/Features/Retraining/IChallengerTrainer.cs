using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Retraining;

/// <summary>A trained challenger: its checkpoint file and what the registry keeps about it (fingerprint, metrics).</summary>
public sealed record TrainedChallenger(string CheckpointPath, CheckpointInfo Info);

/// <summary>
/// Trains a retrain's challenger (<see cref="FineTuningTrainer"/>: TorchSharp fine-tuning). <see cref="RetrainingService"/>
/// depends on this rather than on the training code, so its scheduling, locking and promotion are tested with fakes.
/// </summary>
public interface IChallengerTrainer
{
    /// <summary>Trains on <see cref="TrainingJobRequest.Data"/> and saves the checkpoint; runs on the caller's thread.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    TrainedChallenger Train(TrainingJobRequest request, ITrainingObserver observer, CancellationToken ct);

    /// <summary>Computes and caches the frozen-body features a <see cref="Train"/> with <paramref name="request"/> would read,
    /// training nothing (<see cref="TrainingJob.WarmFeatureCache(TrainingJobRequest, Vision.Devices.ComputeDevice, ITrainingObserver?, CancellationToken)"/>); runs on the caller's thread.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    FeatureWarmResult WarmFeatures(TrainingJobRequest request, ITrainingObserver observer, CancellationToken ct) => FeatureWarmResult.None;
}
