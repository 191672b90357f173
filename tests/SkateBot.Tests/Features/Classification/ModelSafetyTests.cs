using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkateBot.Cli;
using SkateBot.Features.Classification;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Model;
using SkateBot.Vision.Network;
using TorchSharp;

namespace SkateBot.Tests.Features.Classification;

/// <summary>
/// Unusable checkpoints promoted under a running service (corrupt, truncated, another architecture, weights that do not
/// fit their own class list, an empty file): the previous champion keeps serving and the host keeps running; with no
/// usable model at first start the service starts anyway and says it has none.
/// </summary>
[Collection(RedditScanningCollection.Name)]
public sealed class ModelSafetyTests(TinyModelFixture model)
{
    public static TheoryData<string> Breakages => ["corrupt", "truncated", "empty", "architecture", "head mismatch"];

    [Fact]
    public async Task Start_LogsWhatServesTheModel_AndWhy()
    {
        // README: a checkpoint without int8 calibration is served in float "with the reason in the log".
        using var data = new TempDirectory("skatebot-serving-log");
        var logs = new ListLoggerProvider();
        var settings = new ConfigurationBuilder().AddConfiguration(Configuration(data.Path))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }).Build();
        var builder = ServeCommand.CreateBuilder(settings);
        builder.Logging.AddProvider(logs);
        using var host = builder.Build();
        var db = host.Services.GetRequiredService<SkateDatabase>();
        db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
        db.Models.Promote(TinyModelFixture.Version, "test fixture");
        await host.StartAsync();
        try
        {
            var serving = host.Services.GetRequiredService<ModelHost>().Current!;
            Assert.False(string.IsNullOrEmpty(serving.EngineNote));
            Assert.Contains(logs.Lines, l => l.Message == $"Serving model {TinyModelFixture.Version} on {serving.Engine} ({serving.EngineNote}).");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task Promote_UnusableCheckpoint_PreviousChampionKeepsServing(string breakage)
    {
        using var data = new TempDirectory("skatebot-safety");
        using var host = ServeCommand.Build(Configuration(data.Path), []);
        var db = host.Services.GetRequiredService<SkateDatabase>();
        var serving = host.Services.GetRequiredService<ServingModel>();
        db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
        db.Models.Promote(TinyModelFixture.Version, "test fixture");
        await host.StartAsync();
        try
        {
            Assert.Equal(TinyModelFixture.Version, host.Services.GetRequiredService<ModelHost>().CurrentVersion);

            var bad = Broken(breakage, data.Combine("bad" + CheckpointFile.Extension));
            db.Models.Register(new ModelVersionRecord { Version = "v-bad", FilePath = bad, TrainingFingerprint = "bad" });
            db.Models.Promote("v-bad", "a bad promotion");
            var after = serving.Refresh(); // what the 10 s poll calls

            Assert.Equal(TinyModelFixture.Version, after);
            Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task FirstStart_OnlyAnUnusableChampion_StartsWithoutAModel(string breakage)
    {
        using var data = new TempDirectory("skatebot-safety-first");
        using var host = ServeCommand.Build(Configuration(data.Path), []);
        var db = host.Services.GetRequiredService<SkateDatabase>();
        var bad = Broken(breakage, data.Combine("bad" + CheckpointFile.Extension));
        db.Models.Register(new ModelVersionRecord { Version = "v-bad", FilePath = bad, TrainingFingerprint = "bad" });
        db.Models.Promote("v-bad", "the only model");

        await host.StartAsync();
        try
        {
            Assert.Null(host.Services.GetRequiredService<ModelHost>().CurrentVersion);
            Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private string Broken(string breakage, string path)
    {
        var good = File.ReadAllBytes(model.CheckpointPath);
        switch (breakage)
        {
            case "corrupt":
                var flipped = (byte[])good.Clone();
                for (var i = flipped.Length / 2; i < flipped.Length / 2 + 64; i++) flipped[i] ^= 0x5A;
                File.WriteAllBytes(path, flipped);
                break;
            case "truncated":
                File.WriteAllBytes(path, good[..(good.Length / 2)]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "architecture":
                Save(path, classes: 2, new CheckpointInfo { Version = "v-bad", Classes = TinyModelFixture.Classes, TrainingFingerprint = "bad", Architecture = "resnet50-skatenet" });
                break;
            case "head mismatch": // a well-formed file whose weights have three outputs but whose info names two classes
                Save(path, classes: 3, new CheckpointInfo { Version = "v-bad", Classes = TinyModelFixture.Classes, TrainingFingerprint = "bad", UnsureBelow = 0 });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null);
        }
        return path;
    }

    private static void Save(string path, int classes, CheckpointInfo info)
    {
        const int size = 64;
        torch.manual_seed(11);
        using var net = new SkateNet(new ResNet18Backbone(ResNet18Geometry.Torchvision), classes);
        var convention = new InputConvention("test-rgb-0..1", bgr: false, scale: 1f, size: size, meanImage: new float[3 * size * size]);
        CheckpointFile.Save(path, net, convention, info);
    }

    private static IConfiguration Configuration(string dataDirectory) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Model:Device"] = "cpu",
        ["Retraining:Schedule"] = "",
        ["Retraining:NewLabelThreshold"] = "0",
        ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
        ["Observability:Url"] = "",
        ["Downloads:AllowedHosts:0"] = "i.redd.it",
        ["Logging:LogLevel:Default"] = "None",
    }).Build();
}
