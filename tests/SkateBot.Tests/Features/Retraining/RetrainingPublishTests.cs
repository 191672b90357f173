using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features.Retraining;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>A promotion reaches the serving host at once; a promoted checkpoint that does not load leaves the old model serving.</summary>
[Collection(RetrainingCollection.Name)]
public sealed class RetrainingPublishTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task RetrainAsync_PromotedCheckpointDoesNotLoad_StaysPromotedAndTheChampionKeepsServing()
    {
        await using var h = new LoopHarness(fixture);
        // The fake trainer's checkpoint is an empty file: promoted by the (fake) evaluation, unloadable by the host.
        var evaluator = new FakeEvaluator();
        evaluator.WrongOnEverything.Add("v1");
        h.ConfigureServices = services => services.AddSingleton<IChallengerTrainer>(new FakeTrainer()).AddSingleton<IModelEvaluator>(evaluator);
        h.StartService();
        h.InstallModels("v1");
        Assert.Equal("v1", h.Host.CurrentVersion);

        var outcome = await h.Retraining.RetrainAsync("test: unloadable challenger");

        // Before, the load's CheckpointException turned a promotion the registry had recorded into a "failed" retrain.
        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        Assert.Equal("v2", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.Equal("v1", (await h.PostAsync(fixture.Pool[0], "after-promotion")).Result.ModelVersion);
        Assert.Contains(h.Logs.Lines, l => l.Message.StartsWith("Model v2 could not be loaded", StringComparison.Ordinal));
    }
}
