using System.Text.Json;
using SkateBot.Cli;
using SkateBot.Storage;
using SkateBot.Tests.Features.Retraining;
using SkateBot.Vision.Checkpoints;

namespace SkateBot.Tests.Cli;

[Collection(RetrainingCollection.Name)]
public sealed class ModelsCommandTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task ModelsList_TwoVersions_ShowsStatusParentAndMetrics()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1", "v2");

        var text = await h.CliAsync("models", "list");
        var json = await h.CliAsync("models", "list", "--json");

        Assert.Equal(0, text.ExitCode);
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("version", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^v1\s+champion\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d+\.\d %", lines[1]);
        Assert.Matches(@"^v2\s+candidate\s+v1\s+", lines[2]);
        Assert.Equal(0, json.ExitCode);
        var models = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["v1", "v2"], models.Select(m => m.GetProperty("version").GetString()));
        Assert.Equal(["champion", "candidate"], models.Select(m => m.GetProperty("status").GetString()));
        Assert.Equal(h.Db.Models.Get("v1")!.Metrics["valid_error_rate"], models[0].GetProperty("metrics").GetProperty("valid_error_rate").GetDouble());
    }

    [Fact]
    public async Task ModelsPromoteThenRollback_RegisteredVersions_SwitchChampionAndRecordHistory()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1", "v2");

        var promote = await h.CliAsync("models", "promote", "v2");
        Assert.Equal(0, promote.ExitCode);
        Assert.StartsWith("v2 is now the serving model", promote.Output, StringComparison.Ordinal);
        Assert.Equal("v2", h.Db.Models.Champion()?.Version);

        var rollback = await h.CliAsync("models", "rollback");
        Assert.Equal(0, rollback.ExitCode);
        Assert.Equal("Rolled back: v1 serves again (was v2).", rollback.Output.Trim());
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal(ModelStatus.Rejected, h.Db.Models.Get("v2")?.Status);
        Assert.Equal(
            [(ModelEventKind.Promote, "v1", (string?)null), (ModelEventKind.Promote, "v2", "v1"), (ModelEventKind.Rollback, "v1", "v2")],
            h.Db.Models.Events().Select(e => (e.Kind, e.Version, e.PreviousVersion)));

        var again = await h.CliAsync("models", "rollback");
        Assert.Equal(CliApp.ExitError, again.ExitCode);
        Assert.Equal("error: Champion 'v1' has no previous champion to roll back to.", again.Error.Trim());
    }

    [Fact]
    public async Task ModelsPromote_UnknownVersion_ExitsOneWithClearMessage()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");

        var run = await h.CliAsync("models", "promote", "v9");

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        Assert.Equal("error: No model 'v9' (see `models list`).", run.Error.Trim());
        Assert.Equal("", run.Output);
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
    }

    [Fact]
    public async Task ModelsPromote_CorruptCheckpoint_RefusedAndChampionUnchanged()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1", "v2");
        var path = Path.Combine(h.ModelsDirectory, "v2" + CheckpointFile.Extension);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); // a copy that stopped half way

        var run = await h.CliAsync("models", "promote", "v2");

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        Assert.Equal("error: v2.skmodel: checksum mismatch: the file is truncated or corrupt.", run.Error.Trim());
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
    }

    [Fact]
    public async Task ModelsPromote_VersionWhoseTrainingFailed_RefusedBecauseItHasNoCheckpoint()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        h.Db.Models.Register(new ModelVersionRecord { Version = "v2", FilePath = "models/v2.skmodel", TrainingFingerprint = "f" });
        h.Db.Models.Fail("v2", "the training was cancelled; the champion keeps serving.");

        var run = await h.CliAsync("models", "promote", "v2");

        Assert.Equal(CliApp.ExitError, run.ExitCode);
        Assert.StartsWith("error: v2.skmodel: cannot be read", run.Error, StringComparison.Ordinal);
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
    }
}
