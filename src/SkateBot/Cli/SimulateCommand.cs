using System.CommandLine;
using SkateBot.Features.Datasets;
using SkateBot.Features.Simulation;

namespace SkateBot.Cli;

/// <summary>
/// <c>simulate stream --eval folder…</c>: replays a labelled folder as posts to a bot on its own data folder, with simulated
/// people correcting it and the real retraining and gate, and measures the learning curve.
/// </summary>
public static class SimulateCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var stream = new Argument<string>("stream") { Description = "Labelled folder replayed as posts, e.g. ../shared/photos/wild#train." };
        var eval = new Option<string[]>("--eval") { Description = "Labelled folder measured after every round (repeat the option).", Required = true, AllowMultipleArgumentsPerToken = true };
        var model = new Option<string?>("--model") { Description = "Starting champion: a model version or checkpoint file (default: the serving model)." };
        var baseFolders = new Option<string[]>("--base") { Description = "Base folders retraining uses (default: the champion's recorded ones).", AllowMultipleArgumentsPerToken = true };
        var strategy = new Option<string>("--strategy") { Description = "corrections (every wrong or unsure answer is corrected), uncertain, random, or compare (uncertain and random at the same budget).", DefaultValueFactory = _ => "corrections" };
        var posts = new Option<int>("--posts-per-round") { Description = "Photos posted between retrains.", DefaultValueFactory = _ => 17 };
        var labels = new Option<int>("--labels-per-round") { Description = "Photos labelled per round by uncertain and random.", DefaultValueFactory = _ => 8 };
        var confirm = new Option<double>("--confirm") { Description = "Share of right answers people also confirm under corrections (0 to 1).", DefaultValueFactory = _ => 0 };
        var voters = new Option<int>("--voters") { Description = "Honest voters per labelled photo.", DefaultValueFactory = _ => 3 };
        var wrong = new Option<double>("--wrong-votes") { Description = "Chance that an honest vote is wrong.", DefaultValueFactory = _ => 0.1 };
        var noContrarian = new Option<bool>("--no-contrarian") { Description = "Leave out the user who always votes wrong." };
        var seed = new Option<int>("--seed") { Description = "Seed for the posting order, the votes and random picks.", DefaultValueFactory = _ => 1 };
        var frozen = new Option<int?>("--frozen-epochs") { Description = "Retraining:FrozenEpochs for the simulated service." };
        var epochs = new Option<int?>("--epochs") { Description = "Retraining:UnfrozenEpochs for the simulated service." };
        var output = new Option<string?>("--out") { Description = "Folder for the simulated data, learning_curve.json and .png (default: data/runs/<time>-simulate)." };
        var command = new Command("simulate", "Replay labelled photos as posts with simulated corrections and retraining; print and plot the learning curve.")
        { stream, eval, model, baseFolders, strategy, posts, labels, confirm, voters, wrong, noContrarian, seed, frozen, epochs, output };
        command.SetAction(async (parse, ct) =>
        {
            using var ctx = context();
            var chosen = parse.GetValue(strategy)!;
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(frozen) is { } f) overrides["Retraining:FrozenEpochs"] = f.ToString();
            if (parse.GetValue(epochs) is { } e) overrides["Retraining:UnfrozenEpochs"] = e.ToString();
            var modelName = parse.GetValue(model);
            var checkpoint = ctx.Catalog.ResolveCheckpoint(modelName);
            // Retraining starts from what the champion was trained on (its recorded folders) unless --base says otherwise.
            var record = string.IsNullOrWhiteSpace(modelName) ? ctx.Database.Models.Champion() : ctx.Database.Models.Get(modelName);
            var recorded = BaseFolders.ForRetrain(ctx.Training, record).Folders.Select(f => f.Resolved).ToArray();
            var outDir = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(ctx.Storage.RunsDirectory, $"{ctx.Time.GetUtcNow():yyyyMMdd-HHmmss}-simulate"));
            var settings = new SimulationSettings
            {
                StreamFolder = parse.GetValue(stream)!,
                EvalFolders = parse.GetValue(eval)!,
                ChampionCheckpoint = checkpoint,
                BaseFolders = parse.GetValue(baseFolders) is { Length: > 0 } b ? b : recorded,
                OutputDirectory = outDir,
                Strategies = chosen == "compare" ? [SimulationStrategy.Uncertain, SimulationStrategy.Random] : [chosen],
                PostsPerRound = parse.GetValue(posts), LabelsPerRound = parse.GetValue(labels), ConfirmShare = parse.GetValue(confirm), Voters = parse.GetValue(voters),
                WrongVoteShare = parse.GetValue(wrong), Contrarian = !parse.GetValue(noContrarian), Seed = parse.GetValue(seed),
                Overrides = overrides,
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = await new LabellingSimulation(ctx.Configuration, settings, ctx.Output).RunAsync(ct);
            var (json, png) = SimulationOutput.Write(outDir, rows, settings);
            SimulationOutput.Print(ctx.Output, rows, settings.EvalFolders);
            ctx.Output.WriteLine($"Learning curve {png}");
            ctx.Output.WriteLine($"Figures       {json}");
            ctx.Output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
            return 0;
        });
        return command;
    }
}
