using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkateBot.Cli;
using SkateBot.Features.Observability;
using SkateBot.Sandbox.Discord;
using SkateBot.Sandbox.Reddit;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.Discord;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features;

/// <summary>
/// A full <c>serve</c> (Discord, Reddit with the password grant, /healthz and /metrics) against the fakes, with
/// distinctive secret values, driven through a photo reply, a subreddit scan, a revoked Reddit token, a token endpoint
/// and a Discord error that echo the secrets back: no secret (nor the Basic auth header built from one) appears in any
/// log line at any level (scopes, values and exceptions included), /healthz, /metrics, <c>config check</c>, serve's
/// start-up lines or any file the run left in the data folder (database, models/, runs/).
/// </summary>
[Collection(RedditScanningCollection.Name)] // Environment.ExitCode and the tiny model: serial with the other host tests
public sealed class SecretsTests(TinyModelFixture model)
{
    private const string DiscordToken = "MTA0.SECRET-DISCORD-TOKEN.q7Zx9";
    private const string ClientSecret = "SECRET-REDDIT-CLIENT-SECRET-4e1d";
    private const string Password = "SECRET-REDDIT-PASSWORD-b83c";
    private const string ScriptedAccessToken = "SECRET-REDDIT-ACCESS-TOKEN-77aa";
    private const string Username = "skatebot_tests";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Serve_FullRunWithEchoedSecrets_NoSecretInLogsHealthMetricsConfigCheckOrFiles()
    {
        using var data = new TempDirectory("skatebot-secrets");
        await using var discord = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { BotToken = DiscordToken });
        await using var reddit = await FakeRedditServer.StartAsync(new FakeRedditOptions { ClientSecret = ClientSecret });
        reddit.AddUser(Username, Password);
        var clientId = reddit.Options.ClientId;
        string[] secrets = [DiscordToken, ClientSecret, Password, ScriptedAccessToken,
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{ClientSecret}"))];
        // The first token answer is scripted (the fake then rejects that token, so the bot must log in again), and it and
        // a later token error echo the secrets, as a misbehaving proxy or endpoint might.
        reddit.ScriptToken(FakeRedditResponse.Text(200,
            $$"""{"access_token": "{{ScriptedAccessToken}}", "token_type": "bearer", "expires_in": 3600, "scope": "*"}""", "application/json"));
        discord.EnqueueResponse("PUT", "/channels/*/messages/*/reactions/*/@me", FakeResponse.Error(400, 50035, $"Invalid Form Body: Bot {DiscordToken}"));
        var configuration = Configuration(data.Path, discord, reddit);
        var logs = new RecordingLoggerProvider();
        var exitCodeBefore = Environment.ExitCode;
        var host = ServeCommand.Build(configuration, []);
        var seen = new List<(string Where, string Text)>();
        try
        {
            host.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
            var db = host.Services.GetRequiredService<SkateDatabase>();
            db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
            db.Models.Promote(TinyModelFixture.Version, "test fixture");
            var photo = Photo(1);
            var post = reddit.AddPost(FakeRedditPost.Image("rollerblading", reddit.AddImage("p1.jpg", photo), "wheels"));
            await host.StartAsync();

            await DiscordHarness.WaitUntilAsync(() => discord.SessionId is not null, "identify");
            var attachment = discord.CreateAttachment(DiscordHarness.WatchedChannel, "skate.jpg", Photo(2), "image/jpeg", 80, 60);
            var message = discord.UserMessage(DiscordHarness.WatchedChannel, "look @everyone", [attachment], DiscordHarness.Guild);
            await discord.DispatchAsync("MESSAGE_CREATE", message);
            await DiscordHarness.WaitUntilAsync(() => discord.MessagesIn(DiscordHarness.WatchedChannel)
                .Any(m => (string?)m["message_reference"]?["message_id"] == (string)message["id"]!), "the photo reply");
            await DiscordHarness.WaitUntilAsync(() => db.Posts.Get("reddit:" + post) is not null, "the scanned post");
            reddit.ScriptToken(FakeRedditResponse.Text(400, $$"""{"message": "Bad Request", "echo": "{{ClientSecret}} {{Password}} {{Username}}"}""", "application/json"));
            reddit.ExpireTokens();
            reddit.AddPost(FakeRedditPost.Image("rollerblading", reddit.AddImage("p3.jpg", Photo(3)), "more"));
            await DiscordHarness.WaitUntilAsync(() => reddit.Requests.Count(r => r.Host == FakeRedditHost.Auth) >= 4, "logging in again after the echoed error");
            await DiscordHarness.WaitUntilAsync(() => reddit.Requests.Any(r => r.Host == FakeRedditHost.Cdn && r.Path.EndsWith("p3.jpg", StringComparison.Ordinal)), "the scan after re-login");

            var address = host.Services.GetRequiredService<ObservabilityServer>().Address!;
            var health = await Http.GetStringAsync(new Uri(address, "/healthz"));
            var metrics = await Http.GetStringAsync(new Uri(address, "/metrics"));
            seen.Add(("/healthz", health));
            seen.Add(("/metrics", metrics));
            Assert.Contains("\"discord\"", health, StringComparison.Ordinal); // both front ends are really running
            Assert.Contains("\"reddit\"", health, StringComparison.Ordinal);
            Assert.Contains("skatebot_predictions_total", metrics, StringComparison.Ordinal);

            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await CliApp.RunAsync(["config", "check"], output, error, configuration, CancellationToken.None);
            seen.Add(("config check", output + "\n" + error));
            Assert.Contains("Discord:Token", output.ToString(), StringComparison.Ordinal);
            Assert.True(exit == 0, error.ToString());
            seen.AddRange(ServeCommand.Describe(configuration).Select(line => ("serve's start-up lines", line)));
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StopAsync(timeout.Token);
            host.Dispose();
            Environment.ExitCode = exitCodeBefore;
        }
        seen.AddRange(logs.Entries.SelectMany(e => e.AllText().Select(t => ($"log {e.Category} {e.Level}", t))));
        foreach (var file in Directory.EnumerateFiles(data.Path, "*", SearchOption.AllDirectories))
            seen.Add(($"file {Path.GetRelativePath(data.Path, file)}", Encoding.UTF8.GetString(File.ReadAllBytes(file))));

        // The secrets were really in play: sent to the fakes, echoed back, and logged about (so a search of nothing cannot pass).
        Assert.Contains(discord.Requests, r => r.Header("Authorization") == "Bot " + DiscordToken);
        Assert.Contains(reddit.Requests, r => r.Host == FakeRedditHost.Auth && r.GrantType == "password" && r.Status == 400);
        Assert.Contains(discord.Requests, r => r.Status == 400);
        Assert.True(logs.Entries.Count > 50, $"only {logs.Entries.Count} log entries were recorded");
        Assert.Contains(logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.Contains("Reddit", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Where.StartsWith("file ", StringComparison.Ordinal));
        var leaks = (from s in seen from secret in secrets where s.Text.Contains(secret, StringComparison.Ordinal)
                     select $"{s.Where}: {Excerpt(s.Text, secret)}").Distinct().ToList();
        Assert.True(leaks.Count == 0, "secrets leaked:\n" + string.Join("\n", leaks));
    }

    private static IConfiguration Configuration(string dataDirectory, FakeDiscordServer discord, FakeRedditServer reddit) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = DiscordToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl,
            ["Discord:Channels:0"] = DiscordHarness.WatchedChannel,
            ["Reddit:ClientId"] = reddit.Options.ClientId,
            ["Reddit:ClientSecret"] = ClientSecret,
            ["Reddit:Username"] = Username,
            ["Reddit:Password"] = Password,
            ["Reddit:UserAgent"] = ScanHarness.UserAgent,
            ["Reddit:AuthBaseUrl"] = reddit.AuthBaseUrl,
            ["Reddit:ApiBaseUrl"] = reddit.ApiBaseUrl,
            ["Reddit:Subreddits:0"] = "rollerblading",
            ["Reddit:PollInterval"] = "00:00:01",
            ["Reddit:InitialBackoff"] = "00:00:00.200",
            ["Downloads:AllowedHosts:0"] = "cdn.discordapp.com",
            ["Downloads:AllowInsecureLoopback"] = "true",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Retraining:Schedule"] = "",
            ["Retraining:NewLabelThreshold"] = "0",
            ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
            ["Model:Device"] = "cpu",
            ["Model:MaxBatchDelay"] = "00:00:00.001",
            ["Observability:Url"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:Console:LogLevel:Default"] = "None",
        }).Build();

    private static string Excerpt(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        var start = Math.Max(0, at - 80);
        return text[start..Math.Min(text.Length, at + secret.Length + 40)].ReplaceLineEndings(" ");
    }

    private static byte[] Photo(int n)
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(80, 60);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                image[x, y] = new SixLabors.ImageSharp.PixelFormats.Rgb24((byte)(n * 37 + x), (byte)(n * 91 + y), (byte)(n * 13 + x * y));
        using var buffer = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(image, buffer);
        return buffer.ToArray();
    }
}
