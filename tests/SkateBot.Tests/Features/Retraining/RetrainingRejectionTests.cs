using System.Text.Json;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision.Samples;
using Xunit.Abstractions;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>The promotion gate: a challenger that is worse on the held-out set never serves.</summary>
[Collection(RetrainingCollection.Name)]
public sealed class RetrainingRejectionTests(RetrainingFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task RetrainAsync_OperatorSwapsClassesOnTrainingImages_RejectsChallengerAndChampionKeepsServing()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        h.Serving.Refresh();

        // A careless operator labels every stream image that lands in training as the other class (operators outrank
        // users); the held-out ones get the users' right labels, so the held-out set still tells the truth.
        var posted = 0;
        foreach (var image in fixture.Pool.Where((_, i) => i % 3 != 2))
        {
            var sha = (await h.PostAsync(image, $"message-{posted++}")).Sha;
            if (RetrainingDataset.InHoldout(sha, h.HoldoutShare))
            {
                h.Db.Labels.Vote(sha, image.ClassName, "alice", isOperator: false, "discord:reaction");
                h.Db.Labels.Vote(sha, image.ClassName, "bob", isOperator: false, "discord:reaction");
            }
            else
            {
                var swapped = SkateSampleGenerator.ClassNames.Single(c => c != image.ClassName);
                h.Db.Labels.Vote(sha, image.ClassName, "alice", isOperator: false, "discord:reaction");
                h.Db.Labels.Vote(sha, swapped, "operator-1", isOperator: true, "discord:review");
            }
        }

        var outcome = await h.Retraining.RetrainAsync("test: poisoned labels");
        output.WriteLine(outcome.Summary());

        Assert.Equal(RetrainStatus.Rejected, outcome.Status);
        Assert.Equal("v2", outcome.Version);
        Assert.True(outcome.ChallengerError > outcome.ChampionError, $"challenger {outcome.ChallengerError:P1} vs champion {outcome.ChampionError:P1}");
        Assert.Contains("held-out error", outcome.Reason, StringComparison.Ordinal);
        var rejected = h.Db.Models.Get("v2");
        Assert.Equal(ModelStatus.Rejected, rejected?.Status);
        Assert.Contains("is higher than the champion's", rejected?.RejectionReason, StringComparison.Ordinal);
        Assert.Equal(outcome.ChallengerError, rejected!.Metrics["holdout_error_rate"]);
        Assert.Contains(h.Db.Models.Events(), e => e is { Kind: ModelEventKind.Reject, Version: "v2", PreviousVersion: "v1" });
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.Equal("v1", h.Serving.Refresh());
        Assert.Equal("v1", (await h.PostAsync(fixture.Pool[2], "after-rejection")).Result.ModelVersion);
    }

    [Fact]
    public async Task RetrainAsync_NothingHeldOut_RejectsChallengerAndReportsIt()
    {
        await using var h = new LoopHarness(fixture);
        // The smallest held-out share, and only base images it does not pick: the challenger cannot be measured.
        h.Settings["Retraining:HoldoutSharePercent"] = "1";
        var baseCopy = h.Combine("base-none-held-out");
        foreach (var file in Directory.GetFiles(fixture.BaseSet, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(fixture.BaseSet, file).Replace('\\', '/');
            if (RetrainingDataset.InHoldout(relative, 1)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(baseCopy, relative))!);
            File.Copy(file, Path.Combine(baseCopy, relative));
        }
        h.Settings["Training:BaseFolders:0"] = baseCopy;
        h.StartService();
        h.InstallModels("v1");

        var outcome = await h.Retraining.RetrainAsync("test: empty held-out set");
        output.WriteLine(outcome.Summary());

        Assert.Equal(RetrainStatus.Rejected, outcome.Status);
        Assert.Equal(0, outcome.HoldoutCount);
        Assert.Null(outcome.ChallengerError); // no number rather than NaN, which JSON cannot carry
        Assert.Equal("Rejected because the challenger could not be evaluated on the held-out set. The champion keeps serving.", outcome.Reason);
        Assert.Equal(ModelStatus.Rejected, h.Db.Models.Get("v2")?.Status);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outcome.ReportDirectory!, "retrain.json"))).RootElement;
        Assert.Equal("rejected", report.GetProperty("Status").GetString());
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.Contains("held-out error n/a", outcome.Summary(), StringComparison.Ordinal);
    }
}
