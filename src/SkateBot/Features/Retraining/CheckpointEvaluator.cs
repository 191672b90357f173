using Microsoft.Extensions.Options;
using SkateBot.Vision;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Retraining;

/// <summary>
/// The real evaluation: <see cref="EvaluationJob"/> loads the checkpoint on the device chosen from <c>Model:Device</c>,
/// with the engine and precision the service serves it with (<see cref="ModelOptions.Serving"/>), so the gate judges the
/// graph people would talk to. It runs beside the service, so ONNX Runtime gets <c>Model:TrainingThreads</c>, as
/// retraining's libtorch does, rather than every core.
/// </summary>
public sealed class CheckpointEvaluator(ComputeDevice device, IOptions<ModelOptions> model) : IModelEvaluator
{
    public EvaluationResult Evaluate(string checkpointPath, IReadOnlyList<LabelledSource> images, string? reportDirectory, string? title, CancellationToken ct) =>
        EvaluationJob.Run(checkpointPath, images, device, reportDirectory, title, ct: ct,
            inference: model.Value.Serving(InferenceOptions.Default) with { Threads = model.Value.TrainingThreads }).Result;
}
