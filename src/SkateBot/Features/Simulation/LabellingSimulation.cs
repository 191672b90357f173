using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkateBot.Features.Classification;
using SkateBot.Features.Datasets;
using SkateBot.Features.Models;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;
using SkateBot.Vision.Devices;

namespace SkateBot.Features.Simulation;

/// <summary>
/// Replays a labelled folder as if its photos were posted one by one (seeded order) to a bot built exactly as
/// <c>serve</c> builds it (<see cref="CoreServices.AddSkateBotCore"/>) on its own data folder: the serving model answers,
/// simulated people label some answers (every wrong or unsure one, or a fixed budget chosen uncertain-first or at random),
/// and after each round the real <see cref="RetrainingService"/> retrains and its gate decides. The serving model is
/// measured on fixed evaluation folders at the start and after every round.
/// </summary>
public sealed class LabellingSimulation(IConfiguration configuration, SimulationSettings settings, TextWriter log)
{
    public async Task<IReadOnlyList<SimulationRow>> RunAsync(CancellationToken ct = default)
    {
        settings.Validate();
        var (classes, items) = FolderDatasets.All(settings.StreamFolder);
        var stream = items.Select(i => (i.Path, Class: classes[i.ClassIndex])).ToList();
        var order = new Random(settings.Seed);
        stream = stream.OrderBy(_ => order.Next()).ToList();
        var rows = new List<SimulationRow>();
        foreach (var strategy in settings.Strategies)
            rows.AddRange(await RunStrategyAsync(strategy, stream, ct).ConfigureAwait(false));
        return rows;
    }

    private async Task<List<SimulationRow>> RunStrategyAsync(string strategy, List<(string Path, string Class)> stream, CancellationToken ct)
    {
        var dataDir = Path.Combine(settings.OutputDirectory, strategy);
        if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        Directory.CreateDirectory(Path.Combine(dataDir, "models"));
        using var host = BuildService(dataDir);
        var services = host.Services;
        var db = services.GetRequiredService<SkateDatabase>();
        var pipeline = services.GetRequiredService<ClassificationPipeline>();
        var retraining = services.GetRequiredService<RetrainingService>();
        var catalog = services.GetRequiredService<ModelCatalog>();
        var loader = services.GetRequiredService<ImageLoader>();
        var device = services.GetRequiredService<ComputeDevice>();
        // Measured as served (engine, precision), as the gate measures.
        var inference = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Vision.ModelOptions>>().Value.Serving(InferenceOptions.Default);
        var time = services.GetRequiredService<TimeProvider>();
        InstallChampion(db, catalog, dataDir);
        services.GetRequiredService<ServingModel>().Refresh();

        // The same people (same seed) for every strategy, so strategies differ only in which photos get labelled.
        var people = new SimulatedPeople(settings, new Random(settings.Seed + 1));
        var pick = new Random(settings.Seed + 2);
        var rows = new List<SimulationRow> { Measure(strategy, 0, 0, 0, people.VotesCast, catalog, loader, device, inference, "start", ct) };
        var labelled = 0;
        var posted = 0;
        var round = 0;
        foreach (var chunk in stream.Chunk(settings.PostsPerRound))
        {
            round++;
            var answers = new List<(string Sha, string Truth, ClassificationResult Result)>();
            foreach (var (path, truth) in chunk)
            {
                ct.ThrowIfCancellationRequested();
                var bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
                var origin = new ImageOrigin("cli", $"simulate:{strategy}:{++posted}", null, time.GetUtcNow());
                var classified = await pipeline.ClassifyAsync(new ImageSubmission(bytes, Path.GetFileName(path), origin), "simulate", ct).ConfigureAwait(false);
                answers.Add((classified.Sha, truth, classified.Result));
            }
            var chosen = Choose(strategy, answers, pick);
            var modelClasses = pipeline.Host.Classes;
            foreach (var (sha, truth, _) in chosen)
                people.Label(db, sha, truth, modelClasses.Append(truth).Distinct().ToList());
            labelled += chosen.Count;
            var outcome = "no labels";
            if (chosen.Count > 0)
            {
                var result = await retraining.RetrainAsync("simulate", new Progress(log, strategy), ct).ConfigureAwait(false);
                outcome = $"{result.Status.ToString().ToLowerInvariant()} {result.Version}";
                log.WriteLine($"[{strategy}] round {round}: {result.Summary()}");
            }
            rows.Add(Measure(strategy, round, posted, labelled, people.VotesCast, catalog, loader, device, inference, outcome, ct));
        }
        return rows;
    }

    /// <summary>Which answers people label: every wrong or unsure one (and a share of the right ones), or a fixed budget by uncertainty or at random.</summary>
    public List<(string Sha, string Truth, ClassificationResult Result)> Choose(string strategy,
        List<(string Sha, string Truth, ClassificationResult Result)> answers, Random pick) => strategy switch
    {
        // The pick is drawn only for right answers and only when some are confirmed, so a run without confirmations
        // labels exactly what it labelled before the option existed.
        SimulationStrategy.Corrections => answers.Where(a => !IsRight(a.Result, a.Truth)
            || (settings.ConfirmShare > 0 && pick.NextDouble() < settings.ConfirmShare)).ToList(),
        SimulationStrategy.Uncertain => answers.OrderByDescending(a => a.Result.IsUnsure).ThenBy(a => a.Result.Confidence)
            .Take(settings.LabelsPerRound).ToList(),
        _ => answers.OrderBy(_ => pick.Next()).Take(settings.LabelsPerRound).ToList(),
    };

    /// <summary>Right means the named skate class for a skate photo, and "unsure" for a photo that is not an inline skate.</summary>
    public static bool IsRight(ClassificationResult result, string truth) =>
        Answering.IsSkateClass(truth) ? result.Label == truth : result.IsUnsure;

    private SimulationRow Measure(string strategy, int round, int posted, int labelled, int votes, ModelCatalog catalog,
        ImageLoader loader, ComputeDevice device, InferenceOptions inference, string outcome, CancellationToken ct)
    {
        var champion = catalog.Champion() ?? throw new InvalidOperationException("The simulation lost its champion.");
        var figures = new List<FolderFigures>();
        foreach (var folder in settings.EvalFolders)
        {
            var (classes, items) = FolderDatasets.All(folder);
            var sources = items.Select(i => new LabelledSource(i.Path, classes[i.ClassIndex], () => loader.Load(i.Path))).ToList();
            var r = EvaluationJob.Run(champion.Path, sources, device, ct: ct, inference: inference).Result;
            figures.Add(new FolderFigures(folder, r.Count, r.ErrorRate, r.Errors, r.WrongAnswers, r.SkateUnsureRate, r.OtherFlaggedRate,
                r.SkateClassRightRate, r.OtherAuc));
        }
        var row = new SimulationRow(strategy, round, posted, labelled, votes, champion.Record.Version, outcome, figures);
        log.WriteLine($"[{strategy}] round {round}: {posted} posted, {labelled} labelled, serving {row.ServingVersion} ({outcome}); " +
            string.Join("; ", figures.Select(f => $"{f.Folder} {f.Errors}/{f.Images} wrong ({f.ErrorRate:P1})")));
        return row;
    }

    private void InstallChampion(SkateDatabase db, ModelCatalog catalog, string dataDir)
    {
        var version = catalog.NextVersion();
        var path = Path.Combine(dataDir, "models", version + CheckpointFile.Extension);
        File.Copy(settings.ChampionCheckpoint, path);
        var info = CheckpointFile.ReadInfo(path);
        db.Models.Register(new ModelVersionRecord
        {
            Version = version, FilePath = Path.GetRelativePath(dataDir, path), TrainingFingerprint = info.TrainingFingerprint,
            Metrics = info.Metrics.ToDictionary(),
        });
        db.Models.Promote(version, $"simulate: starting champion {info.Version} from {settings.ChampionCheckpoint}");
    }

    private IHost BuildService(string dataDir)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDir,
            ["Retraining:Schedule"] = "",
            ["Retraining:NewLabelThreshold"] = "0",
        };
        for (var i = 0; i < settings.BaseFolders.Count; i++) overrides[$"Training:BaseFolders:{i}"] = settings.BaseFolders[i];
        foreach (var (k, v) in settings.Overrides) overrides[k] = v;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddSkateBotCore();
        return builder.Build();
    }

    private sealed class Progress(TextWriter log, string strategy) : IProgress<string>
    {
        public void Report(string value) => log.WriteLine($"[{strategy}]   {value}");
    }
}
