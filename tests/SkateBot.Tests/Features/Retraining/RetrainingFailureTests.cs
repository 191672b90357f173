using System.Text.Json;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>A retrain that cannot finish leaves the champion serving and says what happened.</summary>
[Collection(RetrainingCollection.Name)]
public sealed class RetrainingFailureTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task RetrainAsync_BaseFolderWithOneClass_FailsAndChampionKeepsServing()
    {
        await using var h = new LoopHarness(fixture);
        var oneClass = h.Combine("one-class", SkateSampleGenerator.AggressiveClass);
        Directory.CreateDirectory(oneClass);
        foreach (var file in Directory.GetFiles(Path.Combine(fixture.BaseSet, SkateSampleGenerator.AggressiveClass)))
            File.Copy(file, Path.Combine(oneClass, Path.GetFileName(file)));
        h.Settings["Training:BaseFolders:0"] = h.Combine("one-class");
        h.StartService();
        h.InstallModels("v1");
        h.Serving.Refresh();

        var outcome = await h.Retraining.RetrainAsync("test: bad base folder");

        Assert.Equal(RetrainStatus.Failed, outcome.Status);
        Assert.Contains("one-class", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("The champion keeps serving", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(["v1"], h.Db.Models.List().Select(m => m.Version));
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.Equal("v1", (await h.PostAsync(fixture.Pool[0], "after-failure")).Result.ModelVersion);
        // Nothing was trained, so no version is spent; what happened is in the service's log.
        Assert.Contains(h.Logs.Lines, l => l.Message.StartsWith("Retraining finished: Retraining failed:", StringComparison.Ordinal) && l.Message.Contains("one-class", StringComparison.Ordinal));
        Assert.False(h.Retraining.IsRunning);
    }

    [Fact]
    public async Task RetrainAsync_BaseFolderMissing_FailsNamingItAndChampionKeepsServing()
    {
        await using var h = new LoopHarness(fixture);
        h.Settings["Training:BaseFolders:0"] = h.Combine("typo-in-config");
        h.StartService();
        h.InstallModels("v1");
        h.Serving.Refresh();

        var outcome = await h.Retraining.RetrainAsync("test: missing base folder");

        Assert.Equal(RetrainStatus.Failed, outcome.Status);
        Assert.Contains("Training:BaseFolders", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("typo-in-config", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("v1", h.Host.CurrentVersion);
    }

    [Fact]
    public async Task RetrainAsync_ChampionsRecordedFolderGone_FailsNamingItAndTheSettingThatOverridesIt()
    {
        await using var h = new LoopHarness(fixture);
        h.Settings["Training:BaseFolders:0"] = null;
        h.RecordedBaseFolders = [new BaseFolderRecord { Given = "photos/moved#train", Resolved = h.Combine("photos", "moved") + "#train" }];
        h.StartService();
        h.InstallModels("v1");

        var outcome = await h.Retraining.RetrainAsync("test: recorded folder moved");

        Assert.Equal(RetrainStatus.Failed, outcome.Status);
        Assert.StartsWith($"Base folder 'photos/moved#train' ({h.Combine("photos", "moved")}#train) from v1's recorded base folders does not exist", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("Set Training:BaseFolders to retrain on other folders.", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("v1", h.Host.CurrentVersion);
    }

    [Fact]
    public async Task RetrainAsync_NoTrainingImageReadable_RecordsFailedVersionAndChampionKeepsServing()
    {
        await using var h = new LoopHarness(fixture);
        // Files that look like images by name but are not: the folder scan accepts them, training cannot read any.
        foreach (var c in SkateSampleGenerator.ClassNames)
        {
            var dir = Directory.CreateDirectory(h.Combine("unreadable", c)).FullName;
            for (var i = 0; i < 3; i++) File.WriteAllText(Path.Combine(dir, $"photo{i}.jpg"), "not a jpeg");
        }
        h.Settings["Training:BaseFolders:0"] = h.Combine("unreadable");
        h.StartService();
        h.InstallModels("v1");
        h.Serving.Refresh();

        var outcome = await h.Retraining.RetrainAsync("test: unreadable images");

        Assert.Equal(RetrainStatus.Failed, outcome.Status);
        Assert.Equal("v2", outcome.Version);
        Assert.Contains("Fewer than two training images could be read", outcome.Reason, StringComparison.Ordinal);
        var failed = h.Db.Models.Get("v2");
        Assert.Equal(ModelStatus.Failed, failed?.Status);
        Assert.Contains("Fewer than two training images could be read", failed?.RejectionReason, StringComparison.Ordinal);
        Assert.Contains(h.Db.Models.Events(), e => e is { Kind: ModelEventKind.Fail, Version: "v2", PreviousVersion: "v1" });
        Assert.Equal("failed", ReadReport(outcome).GetProperty("Status").GetString());
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.Equal("v1", (await h.PostAsync(fixture.Pool[0], "after-failure")).Result.ModelVersion);
        // The next retrain takes the next number; the failed one is not reused.
        Assert.Equal("v3", h.Db.Models.NextVersion());
    }

    [Fact]
    public async Task RetrainAsync_CancelledDuringTraining_RecordsCancellationAndChampionKeepsServing()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        h.Serving.Refresh();
        using var cts = new CancellationTokenSource();
        var progress = new ProgressLog(line => { if (line.StartsWith("Retraining v2", StringComparison.Ordinal)) cts.Cancel(); });

        var outcome = await h.Retraining.RetrainAsync("test: cancelled", progress, cts.Token);

        Assert.Equal(RetrainStatus.Cancelled, outcome.Status);
        Assert.Contains("cancelled", outcome.Reason, StringComparison.Ordinal);
        var record = h.Db.Models.Get("v2");
        Assert.Equal(ModelStatus.Cancelled, record?.Status); // its own status since graceful shutdown (models list shows "cancelled")
        Assert.Contains("cancelled", record?.RejectionReason, StringComparison.Ordinal);
        Assert.Equal("cancelled", ReadReport(outcome).GetProperty("Status").GetString());
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.False(File.Exists(Path.Combine(h.DataDirectory, "retrain.lock")), "the lock file is removed when the retrain ends");
    }

    private static JsonElement ReadReport(RetrainOutcome outcome)
    {
        Assert.NotNull(outcome.ReportDirectory);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(outcome.ReportDirectory, "retrain.json"))).RootElement.Clone();
    }
}
