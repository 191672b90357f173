using SkateBot.Vision.Evaluation;

namespace SkateBot.Features.Retraining;

/// <summary>
/// Scores one checkpoint on labelled images (<see cref="CheckpointEvaluator"/>: the checkpoint on the configured device),
/// so champion and challenger are judged through it and promotion is tested with fakes.
/// </summary>
public interface IModelEvaluator
{
    /// <summary>One prediction per readable image (unreadable ones are skipped); the report goes to
    /// <paramref name="reportDirectory"/> when one is given.</summary>
    /// <exception cref="ArgumentException">The images have classes the model does not know.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    EvaluationResult Evaluate(string checkpointPath, IReadOnlyList<LabelledSource> images, string? reportDirectory, string? title, CancellationToken ct);
}
