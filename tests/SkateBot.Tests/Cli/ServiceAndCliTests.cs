using System.Collections.Concurrent;
using System.Text.Json;
using SkateBot.Tests.Features.Retraining;
using SkateBot.Vision.Samples;

namespace SkateBot.Tests.Cli;

/// <summary>
/// An operator's CLI and the running service share one data directory (LiteDB in shared mode): while the service
/// classifies and records, CLI commands read and write the same database, and the service follows the CLI's promotion
/// and rollback (ServingModel.Refresh is what its 10 s poll calls).
/// </summary>
[Collection(RetrainingCollection.Name)]
public sealed class ServiceAndCliTests(RetrainingFixture fixture)
{
    [Fact]
    public async Task CliCommands_WhileServiceClassifies_AllSucceedAndServiceFollowsPromotionAndRollback()
    {
        await using var h = new LoopHarness(fixture);
        h.StartService();
        h.InstallModels("v1", "v2");
        Assert.Equal("v1", h.Serving.Refresh());
        var incoming = h.Combine("incoming");
        foreach (var image in fixture.Pool.Where((_, i) => i % 6 == 3))
        {
            Directory.CreateDirectory(Path.Combine(incoming, image.ClassName));
            File.WriteAllBytes(Path.Combine(incoming, image.ClassName, image.Name), image.Bytes);
        }
        var imported = Directory.GetFiles(incoming, "*", SearchOption.AllDirectories).Length;

        // Two front ends keep posting photos through the pipeline (database writes on every request).
        using var stop = new CancellationTokenSource();
        var answers = new ConcurrentQueue<string>();
        var clients = Enumerable.Range(0, 2).Select(client => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var image = fixture.Pool[(client * 7 + n * 2) % fixture.Pool.Count];
                answers.Enqueue((await h.PostAsync(image, $"client{client}-{n}")).Result.ModelVersion);
                await Task.Delay(10);
            }
        })).ToArray();
        async Task AnswersFrom(string version)
        {
            var seen = answers.Count;
            while (answers.Skip(seen).All(a => a != version)) await Task.Delay(20);
        }

        var runs = new List<(string Command, CliRun Run)>();
        async Task<CliRun> Cli(params string[] args)
        {
            var run = await h.CliAsync(args);
            runs.Add((string.Join(' ', args), run));
            return run;
        }
        // `stats` must see at least one prediction: wait for the first answer (3 views per photo made the first one slower
        // than the import, and the check below failed now and then).
        while (answers.IsEmpty) await Task.Delay(20);
        var import = await Cli("labels", "import", incoming);
        await Cli("models", "list");
        await Cli("stats");
        var stats = await Cli("stats", "--json");
        await Cli("models", "promote", "v2");
        Assert.Equal("v2", h.Serving.Refresh());
        await AnswersFrom("v2").WaitAsync(TimeSpan.FromMinutes(1));
        await Cli("models", "rollback");
        Assert.Equal("v1", h.Serving.Refresh());
        var after = answers.Count;
        await AnswersFrom("v1").WaitAsync(TimeSpan.FromMinutes(1));
        await Cli("models", "list");
        stop.Cancel();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(1)); // a failed request fails the test here

        Assert.All(runs, r => Assert.True(r.Run.ExitCode == 0, $"`{r.Command}` exited {r.Run.ExitCode}: {r.Run.Error}"));
        Assert.All(runs, r => Assert.Equal("", r.Run.Error));
        Assert.Equal($"Imported {imported} labels ({SkateSampleGenerator.AggressiveClass}, {SkateSampleGenerator.InlineClass}).", import.Output.Trim());
        Assert.Equal(imported, h.Db.ResolvedLabels(1).Count);
        Assert.True(JsonDocument.Parse(stats.Output).RootElement.GetProperty("predictions").GetInt32() > 0);
        Assert.Equal("v1", h.Db.Models.Champion()?.Version);
        Assert.Equal("v1", h.Host.CurrentVersion);
        Assert.Contains("v2", answers);
        Assert.Equal(answers.Count, h.Db.Stats(1).Predictions);
        Assert.Equal("v1", answers.Skip(after).Last());
    }
}
