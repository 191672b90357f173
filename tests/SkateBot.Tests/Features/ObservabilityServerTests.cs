using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Cli;
using SkateBot.Features.Classification;
using SkateBot.Features.Observability;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features;

/// <summary><c>/healthz</c> and <c>/metrics</c> of the host <c>serve</c> builds, on a free loopback port.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class ObservabilityServerTests(TinyModelFixture model)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Healthz_ModelComesUp_503NamingTheModelThen200WithItsVersion()
    {
        using var data = new TempDirectory("skatebot-health");
        await using var host = await StartAsync(data.Path);
        var address = host.Services.GetRequiredService<ObservabilityServer>().Address!;

        var before = await Http.GetAsync(new Uri(address, "/healthz"));
        var down = JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement;
        InstallTinyModel(host);
        var after = await Http.GetAsync(new Uri(address, "/healthz"));
        var up = JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal(["model"], down.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        Assert.False(down.GetProperty("parts").GetProperty("model").GetProperty("loaded").GetBoolean());
        Assert.True(down.GetProperty("parts").GetProperty("database").GetProperty("writable").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("ok", up.GetProperty("status").GetString());
        Assert.Equal(TinyModelFixture.Version, up.GetProperty("parts").GetProperty("model").GetProperty("version").GetString());
        Assert.False(up.GetProperty("parts").TryGetProperty("discord", out _)); // Discord and Reddit are off: not reported
        Assert.False(up.GetProperty("parts").TryGetProperty("reddit", out _));
    }

    [Fact]
    public async Task Metrics_AfterAClassification_ParsesAsPrometheusTextAndCountsIt()
    {
        using var data = new TempDirectory("skatebot-metrics");
        await using var host = await StartAsync(data.Path);
        InstallTinyModel(host);
        var classified = await host.Services.GetRequiredService<ClassificationPipeline>().ClassifyAsync(
            new ImageSubmission(Photo(), "photo.jpg", new ImageOrigin("cli", "photo.jpg", null, TimeProvider.System.GetUtcNow())));
        host.Services.GetRequiredService<SkateBotMetrics>().Retrained("rejected");
        host.Services.GetRequiredService<SkateDatabase>().Outbox.Add(new OutgoingPost
        {
            Id = "review:" + classified.Sha, Kind = "review", ChannelId = "700000000000000001", ImageSha = classified.Sha, Label = "unsure",
            BestClass = classified.Result.BestClass, ModelVersion = TinyModelFixture.Version, Nonce = "1",
        });

        var response = await Http.GetAsync(new Uri(host.Services.GetRequiredService<ObservabilityServer>().Address!, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var samples = PrometheusText.Parse(text);
        Assert.Equal(1, samples[$"skatebot_predictions_total{{source=\"cli\",answer=\"{classified.Result.Label}\"}}"]);
        Assert.Equal(1, samples["skatebot_classification_duration_seconds_count"]);
        Assert.True(samples["skatebot_classification_duration_seconds_sum"] > 0);
        Assert.Equal(1, samples["skatebot_classification_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(1, samples["skatebot_retrains_total{outcome=\"rejected\"}"]);
        Assert.Equal(1, samples[$"skatebot_model_info{{version=\"{TinyModelFixture.Version}\"}}"]);
        Assert.Equal(1, samples["skatebot_discord_posts_waiting"]);
        Assert.All(samples.Keys, name => Assert.StartsWith("skatebot_", name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthCommand_ExitsOneWhileUnhealthyOrUnreachable_ZeroOnceTheModelIsUp()
    {
        using var data = new TempDirectory("skatebot-healthcmd");
        await using var host = await StartAsync(data.Path);
        var address = host.Services.GetRequiredService<ObservabilityServer>().Address!;
        var url = $"http://0.0.0.0:{address.Port}"; // a container binds every address; the check asks loopback
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var nobody = $"http://127.0.0.1:{((IPEndPoint)free.LocalEndpoint).Port}";
        free.Stop();

        var (downCode, downOut, _) = await Health(url);
        InstallTinyModel(host);
        var (upCode, upOut, _) = await Health(url);
        var (goneCode, _, goneError) = await Health(nobody);
        var (offCode, _, offError) = await Health("");

        Assert.Equal(1, downCode);
        Assert.StartsWith("503 ", downOut, StringComparison.Ordinal);
        Assert.Contains("model", downOut, StringComparison.Ordinal);
        Assert.Equal(0, upCode);
        Assert.StartsWith("200 ", upOut, StringComparison.Ordinal);
        Assert.Contains(TinyModelFixture.Version, upOut, StringComparison.Ordinal);
        Assert.Equal(1, goneCode);
        Assert.StartsWith("error: no answer from", goneError, StringComparison.Ordinal);
        Assert.Equal(2, offCode);
        Assert.Contains("Observability:Url is empty", offError, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> Health(string url)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HealthCommand.CheckAsync(url, TimeSpan.FromSeconds(10), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Start_PortInUse_OneLineErrorNamingObservabilityUrl()
    {
        using var data = new TempDirectory("skatebot-port");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var error = await Assert.ThrowsAsync<IOException>(() => StartAsync(data.Path, url));

        Assert.StartsWith($"Observability:Url {url}: cannot listen there (the port is already in use)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Build_UrlEmpty_ServesNothing()
    {
        using var data = new TempDirectory("skatebot-noobs");
        await using var host = await StartAsync(data.Path, "");

        Assert.Null(host.Services.GetService<ObservabilityServer>());
    }

    private static async Task<AsyncHost> StartAsync(string dataDirectory, string url = "http://127.0.0.1:0")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Model:Device"] = "cpu",
            ["Model:MaxBatchDelay"] = "00:00:00.001",
            ["Downloads:AllowedHosts:0"] = "i.redd.it",
            ["Retraining:Schedule"] = "",
            ["Retraining:NewLabelThreshold"] = "0",
            ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
            ["Observability:Url"] = url,
            ["Logging:LogLevel:Default"] = "None",
        }).Build();
        var host = ServeCommand.Build(configuration, []);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new AsyncHost(host);
    }

    private void InstallTinyModel(IHost host)
    {
        var db = host.Services.GetRequiredService<SkateDatabase>();
        db.Models.Register(new ModelVersionRecord { Version = TinyModelFixture.Version, FilePath = model.CheckpointPath, TrainingFingerprint = "tiny" });
        db.Models.Promote(TinyModelFixture.Version, "test fixture");
        Assert.Equal(TinyModelFixture.Version, host.Services.GetRequiredService<ServingModel>().Refresh()); // what its 10 s poll calls
    }

    private static byte[] Photo()
    {
        using var image = new Image<Rgb24>(80, 60);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                image[x, y] = new Rgb24((byte)(x * 3), (byte)(y * 4), (byte)(x * y));
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return buffer.ToArray();
    }

    /// <summary>Stops and disposes the host at the end of a test.</summary>
    private sealed class AsyncHost(IHost host) : IHost, IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;
        public Task StartAsync(CancellationToken cancellationToken = default) => host.StartAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken = default) => host.StopAsync(cancellationToken);
        public void Dispose() => host.Dispose();

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            if (host is IAsyncDisposable d) await d.DisposeAsync();
            else host.Dispose();
        }
    }
}

/// <summary>A strict reader of the Prometheus text format (https://prometheus.io/docs/instrumenting/exposition_formats/):
/// every line is a comment (# HELP / # TYPE) or <c>name{labels} value</c>; anything else fails the test.</summary>
internal static partial class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$", line);
                continue;
            }
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            samples.Add(match.Groups["series"].Value,
                match.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return samples;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""(\\.|[^""\\])*"",?)*\})?) (?<value>[-+]?([0-9.eE+-]+|Inf|NaN))( -?[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex Sample();
}
