using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkateBot.Cli;
using SkateBot.Features;
using SkateBot.Features.Classification;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.RedditScanning;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Pretrained;

namespace SkateBot.Tests.Features.Retraining;

public sealed record CliRun(int ExitCode, string Output, string Error);

/// <summary>
/// One bot data directory: the service built the way <c>serve</c> builds it (AddSkateBotCore, not started, so no
/// scheduler runs; tests call what they need), and the CLI run in-process against the same directory. Training is kept
/// tiny: frozen-body epochs only, batch 8.
/// </summary>
public sealed class LoopHarness : IAsyncDisposable
{
    private readonly RetrainingFixture _fixture;
    private readonly TempDirectory _data = new("skatebot-loop");
    private IHost? _service;

    public LoopHarness(RetrainingFixture fixture)
    {
        _fixture = fixture;
        // The imported body, so nothing here re-imports the ONNX files (retraining from a champion does not need it,
        // `train` and a retrain without champion do).
        var pretrained = Directory.CreateDirectory(Path.Combine(ModelsDirectory, PretrainedBackbone.CacheFolder)).FullName;
        File.Copy(PretrainedBackbone.CachePath(RetrainingFixture.PretrainedModels), Path.Combine(pretrained, PretrainedBackbone.CacheFileName));
    }

    public string DataDirectory => _data.Path;

    public string ModelsDirectory => Path.Combine(DataDirectory, "models");

    /// <summary>Settings on top of the defaults below (e.g. ["Retraining:MisclassifiedWeight"] = "5"); a null value removes
    /// a default (e.g. ["Training:BaseFolders:0"] = null: no explicit base folders).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public ListLoggerProvider Logs { get; } = new();

    /// <summary>The clock of the service and of CLI runs (set before StartService, e.g. a FakeTimeProvider to age labels).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public IServiceProvider Services => (_service ?? throw new InvalidOperationException("Call StartService first.")).Services;

    public SkateDatabase Db => Services.GetRequiredService<SkateDatabase>();

    public ModelHost Host => Services.GetRequiredService<ModelHost>();

    public ClassificationPipeline Pipeline => Services.GetRequiredService<ClassificationPipeline>();

    public RetrainingService Retraining => Services.GetRequiredService<RetrainingService>();

    public ServingModel Serving => Services.GetRequiredService<ServingModel>();

    public int HoldoutShare => int.Parse(Configuration()["Retraining:HoldoutSharePercent"]!, System.Globalization.CultureInfo.InvariantCulture);

    public string Combine(params string[] parts) => _data.Combine(parts);

    public IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Storage:DataDirectory"] = DataDirectory,
        ["Model:Device"] = "cpu",
        ["Model:MaxBatchDelay"] = "00:00:00.002",
        ["Model:TrainingThreads"] = "1",
        ["Training:BaseFolders:0"] = _fixture.BaseSet,
        ["Training:BatchSize"] = "8",
        ["Retraining:Schedule"] = "",
        ["Retraining:NewLabelThreshold"] = "0",
        ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
        ["Retraining:FrozenEpochs"] = "3",
        ["Retraining:UnfrozenEpochs"] = "0",
        ["Retraining:HoldoutSharePercent"] = "20",
        ["Retraining:MinVotes"] = "1",
    }.Concat(Settings).GroupBy(kv => kv.Key).Select(g => g.Last()).Where(kv => kv.Value is not null)).Build();

    /// <summary>Replaces registrations after serve's (e.g. a fake <see cref="IChallengerTrainer"/>); set before StartService.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Builds the service (not started: ServingModel.Refresh and RetrainAsync are called by the tests).</summary>
    public IServiceProvider StartService()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(Configuration());
        builder.Logging.AddProvider(Logs);
        builder.Services.AddSkateBotCore();
        ConfigureServices?.Invoke(builder.Services);
        builder.Services.AddSingleton(Time); // registered last, so it is the TimeProvider everything gets
        _service = builder.Build();
        return _service.Services;
    }

    /// <summary>Base folders InstallModels records with each version (none by default, like versions registered before
    /// they were recorded).</summary>
    public BaseFolderRecord[] RecordedBaseFolders { get; set; } = [];

    /// <summary>Copies the fixture's checkpoints in as registered versions, the first one champion (TrainingJob + promote),
    /// and lets the service load it.</summary>
    public void InstallModels(params string[] versions)
    {
        foreach (var version in versions)
        {
            var path = Path.Combine(ModelsDirectory, version + CheckpointFile.Extension);
            File.Copy(_fixture.Checkpoints[version], path);
            var info = CheckpointFile.ReadInfo(path);
            Db.Models.Register(new ModelVersionRecord
            {
                Version = version, FilePath = Path.GetRelativePath(DataDirectory, path), ParentVersion = info.ParentVersion,
                TrainingFingerprint = info.TrainingFingerprint, Metrics = info.Metrics.ToDictionary(), BaseFolders = RecordedBaseFolders,
            });
        }
        Db.Models.Promote(versions[0], "test: trained on the base set");
        Serving.Refresh();
    }

    /// <summary>Stores a stream image the way every front end does (pipeline: stored, classified, prediction recorded).</summary>
    public Task<ClassifiedImage> PostAsync(PoolImage image, string messageId) =>
        Pipeline.ClassifyAsync(new ImageSubmission(image.Bytes, image.Name, new ImageOrigin("discord", messageId, null, TimeProvider.System.GetUtcNow())));

    public async Task<CliRun> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, Configuration(), time: Time);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null) await ((IAsyncDisposable)_service).DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>Reports on the reporting thread at once (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class ProgressLog(Action<string>? onReport = null) : IProgress<string>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Report(string value)
    {
        _lines.Enqueue(value);
        onReport?.Invoke(value);
    }
}
