using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Training;

namespace SkateBot.Features.Retraining;

/// <summary>The real challenger: <see cref="TrainingJob"/> fine-tunes on the device chosen from <c>Model:Device</c>.</summary>
public sealed class FineTuningTrainer(ComputeDevice device) : IChallengerTrainer
{
    public TrainedChallenger Train(TrainingJobRequest request, ITrainingObserver observer, CancellationToken ct)
    {
        var trained = TrainingJob.Run(request, device, observer, ct);
        return new TrainedChallenger(trained.CheckpointPath, CheckpointFile.ReadInfo(trained.CheckpointPath));
    }

    public FeatureWarmResult WarmFeatures(TrainingJobRequest request, ITrainingObserver observer, CancellationToken ct) =>
        TrainingJob.WarmFeatureCache(request, device, observer, ct);
}
