using SkateBot.Features.Retraining;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>The one-paragraph outcome the CLI, /retrain and the operator channel show.</summary>
public sealed class RetrainOutcomeTests
{
    [Fact]
    public void Summary_Rejected_ShowsBothHeldOutPartsForChallengerAndChampionAndTheReason()
    {
        var outcome = new RetrainOutcome
        {
            Status = RetrainStatus.Rejected, Version = "v3", ChampionVersion = "v2",
            Reason = "Rejected because its trusted held-out error 35.0% (20 images) is higher than the champion's 10.0%. The champion keeps serving.",
            ChallengerError = 0.12, ChampionError = 0.13, TrustedCount = 20, ChallengerTrustedError = 0.35, ChampionTrustedError = 0.10,
            LabelledCount = 57, ChallengerLabelledError = 0.07, ChampionLabelledError = 0.158, CorrectedCount = 4, CorrectedAccuracy = 1.0,
            TrainCount = 200, HoldoutCount = 77, Seconds = 42,
        };

        Assert.Equal($"v3 rejected: held-out error {0.12:P1} vs champion v2 {0.13:P1} (trusted part {0.35:P1} vs {0.10:P1} on 20, " +
            $"labelled part {0.07:P1} vs {0.158:P1} on 57), {1.0:P1} of 4 corrected images right (200 training images, 77 held out, 42s). " +
            "Rejected because its trusted held-out error 35.0% (20 images) is higher than the champion's 10.0%. The champion keeps serving.",
            outcome.Summary());
    }

    [Fact]
    public void Summary_NoChampionAndNoLabelledPart_SaysNotAvailable()
    {
        var outcome = new RetrainOutcome { Status = RetrainStatus.Promoted, Version = "v1", Reason = "Promoted because there was no champion.", ChallengerError = 0.25, TrustedCount = 4, ChallengerTrustedError = 0.25 };

        Assert.StartsWith($"v1 promoted: held-out error {0.25:P1} vs champion none n/a (trusted part {0.25:P1} vs n/a on 4, labelled part n/a vs n/a on 0)", outcome.Summary());
    }
}
