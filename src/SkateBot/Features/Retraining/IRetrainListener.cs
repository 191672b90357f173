namespace SkateBot.Features.Retraining;

/// <summary>Told about every automatic retrain (schedule or label threshold), e.g. to post the report to operators.</summary>
public interface IRetrainListener
{
    Task OnRetrainedAsync(string trigger, RetrainOutcome outcome, CancellationToken ct);
}
