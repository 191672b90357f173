using SkateBot.Vision.Devices;
using SkateBot.Vision.Evaluation;

namespace SkateBot.Features.Retraining;

/// <summary>The real evaluation: <see cref="EvaluationJob"/> loads the checkpoint on the device chosen from <c>Model:Device</c>.</summary>
public sealed class CheckpointEvaluator(ComputeDevice device) : IModelEvaluator
{
    public EvaluationResult Evaluate(string checkpointPath, IReadOnlyList<LabelledSource> images, string? reportDirectory, string? title, CancellationToken ct) =>
        EvaluationJob.Run(checkpointPath, images, device, reportDirectory, title, ct: ct).Result;
}
