using Microsoft.Extensions.Logging.Abstractions;
using SkateBot.Features.Retraining;
using SkateBot.Vision.Training;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>
/// Precomputing the next retrain's body features (<see cref="RetrainingService.PrecomputeFeaturesAsync"/>), with the fake
/// trainer: from the serving champion, on what the retrain would train on, once per champion, at the retrain's priority,
/// and never in a retrain's way.
/// </summary>
public sealed class RetrainingPrecomputeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly FakeRetraining f = new();

    public void Dispose() => f.Dispose();

    [SkippableFact]
    public async Task AfterAPromotion_PrecomputesFromTheNewChampion_OnTheRetrainsData_OnceAtTheLoweredPriority()
    {
        f.AddChampion("v1");
        var nice = SkateBot.Vision.Devices.CpuPriority.CurrentThreadNice();
        f.Model.TrainingNice = Math.Min(19, nice + 5);
        var service = f.Service();
        var outcome = await service.RetrainAsync("test");
        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());

        Assert.True(service.ShouldPrecompute());
        var result = await service.PrecomputeFeaturesAsync();

        Assert.NotNull(result);
        var (request, warmNice) = Assert.Single(f.Trainer.Warms);
        var retrain = Assert.Single(f.Trainer.Requests);
        // The next retrain starts from v2: its frozen phase forwards v2's body over the same data with the same options.
        Assert.Equal(("v2", f.Db.Models.Get("v2")!.FilePath), (request.ParentVersion, Path.GetRelativePath(f.Storage.FullDataDirectory, request.ParentCheckpoint!)));
        Assert.Equal(retrain.Data.Fingerprint, request.Data.Fingerprint);
        Assert.Equal(retrain.Options, request.Options);
        Assert.Equal(retrain.FeatureCacheDirectory, request.FeatureCacheDirectory);
        if (OperatingSystem.IsLinux()) Assert.Equal(f.Model.TrainingNice, warmNice);
        Assert.False(service.ShouldPrecompute()); // once per champion
        Assert.Null(f.Db.Models.Get("v3")); // nothing registered, nothing trained
        Assert.Single(f.Trainer.Requests);
    }

    [Fact]
    public void Off_OrNoFrozenEpochs_OrNoChampion_NothingToPrecompute()
    {
        Assert.False(f.Service().ShouldPrecompute()); // no champion yet
        f.AddChampion("v1");
        Assert.True(f.Service().ShouldPrecompute());
        f.Options.PrecomputeFeatures = false;
        Assert.False(f.Service().ShouldPrecompute());
        f.Options.PrecomputeFeatures = true;
        f.Options.FrozenEpochs = 0; // a retrain without a frozen phase reads no features
        Assert.False(f.Service().ShouldPrecompute());
        f.Options.FrozenEpochs = 2;
        f.Options.StartFrom = RetrainingOptions.StartFromImageNet; // the ImageNet body's features never change: cached by the first retrain
        Assert.False(f.Service().ShouldPrecompute());
    }

    /// <summary>A champion v1 and a precompute for it that has started and is held inside the trainer.</summary>
    private async Task<(RetrainingService Service, Task<FeatureWarmResult?> Precomputing)> StartHeldPrecomputeAsync()
    {
        f.AddChampion("v1");
        var service = f.Service();
        f.Trainer.HoldWarm();
        var precomputing = service.PrecomputeFeaturesAsync();
        await f.Trainer.WarmStarted.WaitAsync(Patience);
        return (service, precomputing);
    }

    [Fact]
    public async Task ARetrainWhilePrecomputing_CancelsItAndRuns_ASecondOneMeanwhileIsBusy()
    {
        var (service, precomputing) = await StartHeldPrecomputeAsync();
        Assert.False(service.IsRunning); // precomputing is not a retrain

        f.Trainer.Hold();
        var retrain = service.RetrainAsync("test: first");
        await f.Trainer.Started.WaitAsync(Patience);
        Assert.Null(await precomputing.WaitAsync(Patience)); // cancelled
        Assert.True(service.IsRunning);
        Assert.Equal(RetrainStatus.Busy, (await service.RetrainAsync("test: second")).Status);
        f.Trainer.Release();

        var outcome = await retrain.WaitAsync(Patience);
        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        Assert.True(service.ShouldPrecompute()); // v2 now serves; v1's precomputing never finished anyway
    }

    [Fact]
    public async Task WhilePrecomputing_ASecondPrecomputeDoesNothing_AndARetrainFromAnotherProcessIsBusy()
    {
        var (service, precomputing) = await StartHeldPrecomputeAsync();

        Assert.Null(await service.PrecomputeFeaturesAsync());
        // Another process sees the retrain lock held: it cannot cancel this process's work, so it is told to wait.
        Assert.Equal(RetrainStatus.Busy, (await f.Service(f.Open()).RetrainAsync("test: other process")).Status);
        f.Trainer.ReleaseWarm();

        Assert.NotNull(await precomputing.WaitAsync(Patience));
        Assert.Single(f.Trainer.Warms);
    }

    [Fact]
    public async Task AFailedPrecompute_IsNotTriedAgainForThatChampion_AndLeavesTheGateFree()
    {
        f.AddChampion("v1");
        var service = f.Service();
        f.Trainer.WarmFailure = new System.Runtime.InteropServices.ExternalException("libtorch said no");

        Assert.Null(await service.PrecomputeFeaturesAsync());

        Assert.False(service.ShouldPrecompute());
        var outcome = await service.RetrainAsync("test");
        Assert.True(outcome.Status == RetrainStatus.Promoted, outcome.Summary());
        Assert.True(service.ShouldPrecompute()); // a new champion: tried again
    }

    [Fact]
    public async Task Scheduler_WhenIdle_PrecomputesTheChampionsFeaturesOnce()
    {
        f.AddChampion("v1");
        f.Options.NewLabelThreshold = 0;
        f.Options.CheckInterval = TimeSpan.FromMinutes(1);
        using var scheduler = new RetrainingScheduler(f.Service(), f.Db, Microsoft.Extensions.Options.Options.Create(f.Options), f.Time,
            NullLogger<RetrainingScheduler>.Instance, []);
        await scheduler.StartAsync(CancellationToken.None);

        using (var patience = new CancellationTokenSource(Patience))
            while (!f.Trainer.WarmStarted.IsCompleted)
            {
                Assert.False(patience.IsCancellationRequested, "the scheduler did not precompute");
                f.Time.Advance(f.Options.CheckInterval);
                await Task.WhenAny(f.Trainer.WarmStarted, Task.Delay(10));
            }
        for (var i = 0; i < 5; i++)
        {
            f.Time.Advance(f.Options.CheckInterval);
            await Task.Delay(20);
        }

        Assert.Equal("v1", Assert.Single(f.Trainer.Warms).Request.ParentVersion);
        Assert.Empty(f.Trainer.Requests);
        await scheduler.StopAsync(CancellationToken.None);
    }
}
