using System.Text.Json;
using SkateBot.Tests.Features.Retraining;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Cli;

[Collection(RetrainingCollection.Name)]
public sealed class StatsCommandTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task Stats_AfterStreamAndLabels_CountsMatchStorage()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var posted = new List<(PoolImage Image, string Sha, string Predicted)>();
        foreach (var (image, i) in fixture.Pool.Where((_, i) => i % 12 == 0).Select((x, i) => (x, i)))
        {
            var classified = await h.PostAsync(image, $"message-{i}");
            posted.Add((image, classified.Sha, classified.Result.Label));
        }
        await h.PostAsync(posted[0].Image, "message-again"); // the same photo again: one image, two predictions
        // Two users say the first two are the class the model did not predict (corrections); the third is confirmed.
        foreach (var (_, sha, predicted) in posted.Take(2))
        {
            var other = SkateSampleGenerator.ClassNames.Single(c => c != predicted);
            h.Db.Labels.Vote(sha, other, "alice", isOperator: false, "discord:reaction");
            h.Db.Labels.Vote(sha, other, "bob", isOperator: false, "discord:reaction");
        }
        h.Db.Labels.Vote(posted[2].Sha, posted[2].Predicted, "alice", isOperator: false, "discord:reaction");

        var json = await h.CliAsync("stats", "--json");
        var text = await h.CliAsync("stats");

        Assert.Equal(0, json.ExitCode);
        var s = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal("v1", s.GetProperty("champion").GetString());
        Assert.Equal(h.Db.Models.Get("v1")!.Metrics["valid_error_rate"], s.GetProperty("champion_valid_error").GetDouble());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("champion_holdout_error").ValueKind); // `train` measures validation only
        Assert.Equal(posted.Count, s.GetProperty("images").GetInt32());
        Assert.Equal(posted.Count + 1, s.GetProperty("predictions").GetInt32());
        Assert.Equal(posted.Count + 1, s.GetProperty("predictions_since_training").GetInt32());
        Assert.Equal(5, s.GetProperty("current_labels").GetInt32());
        Assert.Equal(3, s.GetProperty("resolved").GetInt32());
        Assert.Equal(2, s.GetProperty("misclassified").GetInt32());
        Assert.Equal(3, s.GetProperty("labels_since_training").GetInt32());
        Assert.Equal(1, s.GetProperty("models").GetInt32());
        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith("Serving model: v1 (holdout error n/a, validation error ", text.Output, StringComparison.Ordinal);
        Assert.Contains($"All time: {posted.Count} images, {posted.Count + 1} predictions, 5 current votes, 3 resolved labels (2 corrections of wrong predictions), 1 model versions", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_EmptyDataDirectory_SaysNoModelYet()
    {
        await using var h = new LoopHarness(fixture);

        var run = await h.CliAsync("stats");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Serving model: none yet (run `train`).", run.Output, StringComparison.Ordinal);
    }
}
