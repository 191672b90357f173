using System.Text.Json;
using SkateBot.Features.Retraining;
using SkateBot.Tests.Features.Retraining;

namespace SkateBot.Tests.Cli;

/// <summary>`train` records the folders it trained on; `retrain` trains and judges on them; `models list` shows them.</summary>
[Collection(RetrainingCollection.Name)]
public sealed class TrainCommandTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task TrainThenRetrain_NoBaseFoldersConfigured_RetrainUsesTheFoldersTrainRecorded()
    {
        await using var h = new LoopHarness(fixture);
        h.Settings["Training:BaseFolders:0"] = null; // as committed: nothing explicit, so a retrain follows the champion
        var photos = h.Combine("photos");
        foreach (var file in Directory.GetFiles(fixture.BaseSet, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(photos, Path.GetRelativePath(fixture.BaseSet, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var imageCount = Directory.GetFiles(photos, "*", SearchOption.AllDirectories).Length;
        // Given relative to the working directory, as a user types it; recorded as given and as an absolute path.
        var given = Path.GetRelativePath(Directory.GetCurrentDirectory(), photos);

        var train = await h.CliAsync("train", given, "--frozen-epochs", "1", "--epochs", "0", "--batch-size", "8", "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        h.StartService();
        var v1 = h.Db.Models.Get("v1")!;
        var recorded = Assert.Single(v1.BaseFolders);
        Assert.Equal(given, recorded.Given);
        Assert.Equal(photos, recorded.Resolved);

        var retrain = await h.CliAsync("retrain", "--json");

        Assert.True(retrain.ExitCode == 0, retrain.Output + retrain.Error);
        var outcome = JsonDocument.Parse(retrain.Output).RootElement;
        Assert.Contains(outcome.GetProperty("status").GetString(), new[] { RetrainStatus.Promoted, RetrainStatus.Rejected });
        // No labels: every image trained on or held out came from the recorded folder (not data/sample).
        Assert.Equal(imageCount, outcome.GetProperty("train_count").GetInt32() + outcome.GetProperty("holdout_count").GetInt32());
        var v2 = h.Db.Models.Get("v2")!;
        Assert.Equal("v1", v2.ParentVersion);
        Assert.Equal(v1.BaseFolders, v2.BaseFolders); // the challenger inherits its parent's folders

        var list = await h.CliAsync("models", "list");
        var folderLines = list.Output.Split('\n').Where(l => l.TrimStart().StartsWith("base folders:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, folderLines.Count);
        Assert.All(folderLines, l => Assert.Equal($"base folders: {given} ({photos})", l.Trim()));
    }
}
