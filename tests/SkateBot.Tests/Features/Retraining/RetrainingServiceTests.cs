using SkateBot.Features.Retraining;
using SkateBot.Storage;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>
/// What <see cref="RetrainingService"/> decides, with a fake trainer and evaluator (milliseconds each): promotion when the
/// challenger is better, rejection with the reason when it is worse, a cancelled status when the host stops during
/// training, and one retrain at a time. The real training and evaluation are covered by the tests in
/// <see cref="RetrainingCollection"/>.
/// </summary>
public sealed class RetrainingServiceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // a loaded 2-core machine (CI once took over 10 s to reach the trainer); passing runs take milliseconds
    private readonly FakeRetraining f = new();

    public void Dispose() => f.Dispose();

    [Fact]
    public async Task RetrainAsync_ChallengerBetter_PromotesItAndFineTunesTheChampion()
    {
        var championPath = f.AddChampion("v1");
        f.Evaluator.WrongOnEverything.Add("v1");

        var outcome = await f.Service().RetrainAsync("test");

        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        Assert.StartsWith("Promoted because it is not worse", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(("v2", "v1"), (outcome.Version, outcome.ChampionVersion));
        Assert.Equal((0.0, 1.0), (outcome.ChallengerError, outcome.ChampionError));
        Assert.Equal("v2", f.Db.Models.Champion()?.Version);
        Assert.Equal(ModelStatus.Retired, f.Db.Models.Get("v1")?.Status);
        Assert.Equal(0.1, f.Db.Models.Get("v2")?.Metrics["valid_error_rate"]);
        Assert.Equal(0.0, f.Db.Models.Get("v2")?.Metrics["holdout_error_rate"]);
        var request = Assert.Single(f.Trainer.Requests);
        Assert.Equal((championPath, "v1", 3), (request.ParentCheckpoint, request.ParentVersion, request.Options.Threads));
        // The held-out set (half the base images by hash) is never trained on, and both models are judged on all of it.
        Assert.Equal(2 * FakeRetraining.PerClass, request.Data.Train.Count + outcome.HoldoutCount);
        Assert.InRange(outcome.HoldoutCount, 1, 2 * FakeRetraining.PerClass - 1);
        Assert.Equal(2, f.Evaluator.Calls.Count(c => c.Images == outcome.HoldoutCount));
        Assert.True(File.Exists(Path.Combine(outcome.ReportDirectory!, "retrain.json")));
    }

    [SkippableFact]
    public async Task RetrainAsync_TrainsAtTheLowerPriorityConfigured_LeavingOtherThreadsAsTheyWere()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread nice values are a Linux property");
        var before = SkateBot.Vision.Devices.CpuPriority.CurrentThreadNice();
        Skip.If(before >= 19, $"this test process already runs at nice {before}");
        f.AddChampion("v1");
        f.Model.TrainingNice = Math.Min(19, before + 5);

        var outcome = await f.Service().RetrainAsync("test");

        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        Assert.Equal(f.Model.TrainingNice, Assert.Single(f.Trainer.Nice));
        Assert.Equal(before, SkateBot.Vision.Devices.CpuPriority.CurrentThreadNice());
        // What follows the retrain runs on the pool, not on its lowered thread.
        Assert.Equal(before, await Task.Run(SkateBot.Vision.Devices.CpuPriority.CurrentThreadNice));
    }

    [Fact]
    public async Task RetrainAsync_StartFromImageNet_TrainsAFreshModelAndStillJudgesItAgainstTheChampion()
    {
        f.AddChampion("v1");
        f.Options.StartFrom = RetrainingOptions.StartFromImageNet;
        var progress = new ProgressLog();

        var outcome = await f.Service().RetrainAsync("test", progress).WaitAsync(Patience);

        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        var request = Assert.Single(f.Trainer.Requests);
        Assert.Equal((null, "v1"), (request.ParentCheckpoint, request.ParentVersion));
        Assert.Equal(2, f.Evaluator.Calls.Count(c => c.Images == outcome.HoldoutCount)); // champion and challenger
        Assert.Contains(progress.Lines, p => p.StartsWith("Retraining v2 from the ImageNet body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetrainAsync_ChallengerWorse_RejectsItWithTheReasonAndKeepsTheChampion()
    {
        f.AddChampion("v1");
        f.Evaluator.WrongOnEverything.Add("v2");

        var outcome = await f.Service().RetrainAsync("test");

        Assert.True(outcome.Status == RetrainStatus.Rejected, outcome.Summary());
        Assert.Matches(@"^Rejected because its (whole|trusted) held-out error 100\.0 ?% \(\d+ images\) is higher than the champion's 0\.0 ?%\. The champion keeps serving\.$",
            outcome.Reason);
        Assert.Equal("v1", f.Db.Models.Champion()?.Version);
        var rejected = f.Db.Models.Get("v2");
        Assert.Equal(ModelStatus.Rejected, rejected?.Status);
        Assert.Contains("higher than the champion's", rejected?.RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetrainAsync_HostStopsDuringTraining_RecordsTheChallengerAsCancelled()
    {
        f.AddChampion("v1");
        f.Trainer.Hold();
        var service = f.Service();

        var retrain = service.RetrainAsync("test");
        await TrainingStarted(retrain);
        f.Lifetime.StopApplication();
        var outcome = await retrain.WaitAsync(Patience);

        Assert.True(outcome.Status == RetrainStatus.Cancelled, outcome.Summary());
        Assert.Equal("the training was cancelled; the champion keeps serving.", outcome.Reason);
        Assert.Equal(ModelStatus.Cancelled, f.Db.Models.Get("v2")?.Status);
        Assert.Equal("v1", f.Db.Models.Champion()?.Version);
        Assert.Empty(f.Evaluator.Calls);
        Assert.False(service.IsRunning);
    }

    [Fact]
    public async Task RetrainAsync_WhileOneRuns_SecondInThisProcessAndFromAnotherProcessIsBusy()
    {
        f.Trainer.Hold();
        var service = f.Service();
        var first = service.RetrainAsync("first");
        await TrainingStarted(first);

        Assert.True(service.IsRunning);
        var again = await service.RetrainAsync("second").WaitAsync(Patience);
        // Another process: its own service and connection on the same data directory, stopped by the lock file.
        var other = f.Service(f.Open());
        var fromOther = await other.RetrainAsync("other process").WaitAsync(Patience);

        Assert.Equal(RetrainStatus.Busy, again.Status);
        Assert.Equal("A retraining is already running; try again when it has finished.", again.Summary());
        Assert.Equal(RetrainStatus.Busy, fromOther.Status);
        Assert.False(other.IsRunning);
        Assert.Single(f.Trainer.Requests);

        f.Trainer.Release();
        var done = await first.WaitAsync(Patience);
        Assert.True(done.Status == RetrainStatus.Promoted, done.Summary()); // no champion yet: the first challenger is promoted
        Assert.Equal("Promoted because there was no champion.", done.Reason);
        Assert.False(service.IsRunning);
        Assert.Equal(f.Time.GetUtcNow(), service.LastFinished);
        // Both locks are free again.
        Assert.Equal(RetrainStatus.Promoted, (await other.RetrainAsync("after").WaitAsync(Patience)).Status);
    }

    /// <summary>Waits until the fake trainer is running; a retrain that ends without reaching it fails with its outcome.</summary>
    private async Task TrainingStarted(Task<RetrainOutcome> retrain)
    {
        var first = await Task.WhenAny(f.Trainer.Started, retrain).WaitAsync(Patience);
        if (first == retrain) Assert.Fail($"the retrain ended before training started: {(await retrain).Summary()}");
    }
}
