using System.Diagnostics;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Sandbox.Discord;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>
/// <c>serve</c> as its own process (the built SkateBot.dll) against the fake Discord, stopped with SIGTERM as a service
/// manager or <c>docker stop</c> does: the photo being classified is still answered, the gateway is closed with a
/// resumable code, and the process exits 0 within the host's shutdown timeout.
/// </summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DiscordShutdownTests(TinyModelFixture model)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Serve_SigtermDuringAClassification_AnswersThePhotoClosesResumablyAndExitsZero()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs Linux (SIGTERM via kill)");
        var dll = Path.Combine(AppContext.BaseDirectory, "SkateBot.dll");
        Skip.IfNot(File.Exists(dll), $"{dll} is not built next to the tests");
        // The CDN holds the download, so the photo is still in flight when the signal arrives.
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { CdnDelay = TimeSpan.FromSeconds(3) });
        using var data = new TempDirectory("skatebot-shutdown");
        using (var db = SkateDatabase.Open(data.Path))
        {
            db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
            db.Models.Promote(TinyModelFixture.Version, "test fixture");
        }
        using var process = Start(dll, fake, data.Path);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await FakeDiscordServer.WaitUntilAsync(() => fake.RequestsTo("PUT", "/applications/*/commands").Count > 0 || process.HasExited,
                Patience, "identify and command registration");
            if (process.HasExited) Assert.Fail($"serve exited with {process.ExitCode} before it was ready: {await stderr}");
            var attachment = fake.CreateAttachment(DiscordHarness.WatchedChannel, "skate.jpg", Photo(), "image/jpeg", 80, 60);
            var message = fake.UserMessage(DiscordHarness.WatchedChannel, "look", [attachment], DiscordHarness.Guild);
            await fake.DispatchAsync("MESSAGE_CREATE", message);
            await FakeDiscordServer.WaitUntilAsync(() => fake.CdnRequests > 0, Patience, "the photo's download");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(Patience);

            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await stderr}");
            var reply = Assert.Single(fake.MessagesIn(DiscordHarness.WatchedChannel),
                m => (string?)m["message_reference"]?["message_id"] == (string)message["id"]!);
            Assert.NotNull(reply["embeds"]);
            var close = fake.Connections[^1].ClientCloseCode;
            Assert.True(close is not null and not 1000 and not 1001, $"the gateway was closed with {close?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
            await stdout;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static Process Start(string dll, FakeDiscordServer fake, string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "serve" }) start.ArgumentList.Add(arg);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Discord__Token"] = fake.Options.BotToken,
            ["Discord__ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Discord__Channels__0"] = DiscordHarness.WatchedChannel,
            ["Downloads__AllowedHosts__0"] = "cdn.discordapp.com",
            ["Downloads__AllowInsecureLoopback"] = "true",
            ["Storage__DataDirectory"] = dataDirectory,
            ["Retraining__Schedule"] = "",
            ["Retraining__NewLabelThreshold"] = "0",
            ["Model__Device"] = "cpu",
            ["Model__MaxBatchDelay"] = "00:00:00.001",
            ["Observability__Url"] = "",
            ["Reddit__ClientId"] = "",
        })
            start.Environment["SKATEBOT_" + key] = value;
        return Process.Start(start)!;
    }

    private static byte[] Photo()
    {
        using var image = new Image<Rgb24>(80, 60);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                image[x, y] = new Rgb24((byte)(37 + x), (byte)(91 + y), (byte)(13 + x * y));
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return buffer.ToArray();
    }
}
