using SkateBot.Cli;
using SkateBot.Features.Retraining;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>One retrain at a time: in this process (a semaphore) and across processes (a lock file in the data directory).</summary>
[Collection(RetrainingCollection.Name)]
public sealed class RetrainingBusyTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task RetrainAsync_WhileOneRuns_SecondRequestInProcessAndFromAnotherProcessIsBusy()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        h.Serving.Refresh();

        // Hold the first retrain inside its run (the progress callback runs on the training thread) until the checks are done.
        using var firstCancel = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var first = h.Retraining.RetrainAsync("test: first", new ProgressLog(line =>
        {
            if (!line.StartsWith("Retraining v2", StringComparison.Ordinal)) return;
            started.SetResult();
            release.Wait(TimeSpan.FromMinutes(1));
            firstCancel.Cancel(); // the rest of the training is not needed
        }), firstCancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(h.Retraining.IsRunning);
        var sameProcess = await h.Retraining.RetrainAsync("test: second");
        Assert.Equal(RetrainStatus.Busy, sameProcess.Status);
        Assert.Equal("A retraining is already running; try again when it has finished.", sameProcess.Summary());

        // Another process: its own service instance and database connection on the same data directory.
        using (var other = CliContext.Create(h.Configuration(), TextWriter.Null, TextWriter.Null))
        {
            var otherService = other.Get<RetrainingService>();
            Assert.False(otherService.IsRunning);
            Assert.Equal(RetrainStatus.Busy, (await otherService.RetrainAsync("test: other process")).Status);
        }
        var cli = await h.CliAsync("retrain");
        Assert.Equal(CliApp.ExitError, cli.ExitCode);
        Assert.Contains("A retraining is already running", cli.Output, StringComparison.Ordinal);
        var cliJson = await h.CliAsync("retrain", "--json");
        Assert.Contains("\"status\": \"busy\"", cliJson.Output, StringComparison.Ordinal);

        release.Set();
        Assert.Equal(RetrainStatus.Cancelled, (await first.WaitAsync(TimeSpan.FromMinutes(1))).Status);
        Assert.False(h.Retraining.IsRunning);

        // Both locks are free again: another process gets past them (it is cancelled as soon as its training starts).
        using (var other = CliContext.Create(h.Configuration(), TextWriter.Null, TextWriter.Null))
        {
            using var cancel = new CancellationTokenSource();
            var outcome = await other.Get<RetrainingService>().RetrainAsync("test: after the first",
                new ProgressLog(line => { if (line.StartsWith("Retraining v3", StringComparison.Ordinal)) cancel.Cancel(); }), cancel.Token);
            Assert.Equal(RetrainStatus.Cancelled, outcome.Status);
        }
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
    }
}
