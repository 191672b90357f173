using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkateBot.Features.Retraining;
using SkateBot.Storage;

namespace SkateBot.Tests.Features.Retraining;

/// <summary>SIGTERM during a training: the host's stopping token (what the console lifetime cancels on SIGTERM) ends it,
/// whoever started it, and the challenger is recorded as cancelled.</summary>
[Collection(RetrainingCollection.Name)]
public sealed class RetrainingShutdownTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task RetrainAsync_HostStopsDuringTraining_StopsAndRecordsTheChallengerCancelled()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1");
        var lifetime = h.Services.GetRequiredService<IHostApplicationLifetime>();

        // No token of its own, as a /retrain from Discord (its token outlives the gateway so the answer still goes out).
        var outcome = await h.Retraining.RetrainAsync("test: shutdown",
            new ProgressLog(line => { if (line.StartsWith("Retraining v2", StringComparison.Ordinal)) lifetime.StopApplication(); }))
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(RetrainStatus.Cancelled, outcome.Status);
        Assert.Equal(ModelStatus.Cancelled, h.Db.Models.Get("v2")?.Status);
        Assert.Contains(h.Db.Models.Events(), e => e.Kind == ModelEventKind.Cancel && e.Version == "v2");
        Assert.Contains("\"Status\": \"cancelled\"", File.ReadAllText(Path.Combine(outcome.ReportDirectory!, "retrain.json")), StringComparison.Ordinal);
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
    }
}
