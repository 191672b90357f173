using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Cli;
using SkateBot.Features.Classification;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Classification;

/// <summary>Twenty 40-megapixel photos at once: every one is answered, and no more than Images:MaxConcurrentDecodes are
/// decoded at the same time, so the decode buffers held at once stay bounded.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DecodeBurstTests(TinyModelFixture model)
{
    [Fact]
    public async Task TwentyFortyMegapixelPhotosAtOnce_AllAnswered_DecodesTakeTurns()
    {
        using var data = new TempDirectory("skatebot-burst");
        using var host = ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data.Path,
            ["Model:Device"] = "cpu",
            ["Images:MaxConcurrentDecodes"] = "2",
            ["Retraining:Schedule"] = "",
            ["Retraining:NewLabelThreshold"] = "0",
            ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
            ["Observability:Url"] = "",
            ["Downloads:AllowedHosts:0"] = "i.redd.it",
            ["Logging:LogLevel:Default"] = "None",
        }).Build(), []);
        var db = host.Services.GetRequiredService<SkateDatabase>();
        db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
        db.Models.Promote(TinyModelFixture.Version, "test fixture");
        host.Services.GetRequiredService<ServingModel>().Refresh();
        var pipeline = host.Services.GetRequiredService<ClassificationPipeline>();
        byte[] photo;
        using (var image = new Image<Rgb24>(7300, 5470, new Rgb24(90, 120, 150))) // 39.9 MP, just under Images:MaxPixels
        using (var buffer = new MemoryStream())
        {
            image.SaveAsJpeg(buffer);
            photo = buffer.ToArray();
        }

        // Twenty threads of their own (not the pool, which would start only a couple on 2 cores): truly at once.
        using var start = new ManualResetEventSlim();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Factory.StartNew(() =>
        {
            start.Wait();
            return pipeline.ClassifyAsync(new ImageSubmission(photo, $"big{i}.jpg", new ImageOrigin("cli", $"big{i}", null, DateTimeOffset.UnixEpoch)))
                .GetAwaiter().GetResult();
        }, TaskCreationOptions.LongRunning)).ToList().Select(t => { start.Set(); return t; }));

        Assert.Equal(20, answers.Length);
        Assert.All(answers, a => Assert.Equal(TinyModelFixture.Version, a.Result.ModelVersion));
        Assert.InRange(pipeline.DecodesAtOncePeak, 1, 2);
    }
}
