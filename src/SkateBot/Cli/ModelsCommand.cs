using System.CommandLine;
using SkateBot.Vision.Checkpoints;

namespace SkateBot.Cli;

/// <summary><c>models list|promote|rollback</c>: the registry, for operators. The running service picks changes up by itself.</summary>
public static class ModelsCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "Every model version with its status, parent, metrics and base folders.") { json };
        list.SetAction(parse =>
        {
            using var ctx = context();
            var models = ctx.Database.Models.List().OrderBy(m => m.CreatedAt).ToList();
            if (parse.GetValue(json)) { JsonOutput.Write(ctx.Output, models); return 0; }
            if (models.Count == 0) { ctx.Output.WriteLine("No models yet: run `train`."); return 0; }
            ctx.Output.WriteLine($"{"version",-9}{"status",-11}{"parent",-8}{"created (UTC)",-18}{"valid err",-11}{"holdout err",-13}note");
            foreach (var m in models)
            {
                ctx.Output.WriteLine($"{m.Version,-9}{m.Status,-11}{m.ParentVersion ?? "-",-8}{m.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {Metric(m.Metrics, "valid_error_rate"),-11}{Metric(m.Metrics, "holdout_error_rate"),-13}{m.RejectionReason}");
                // Paths are too long for a column: what a version was trained on goes on its own indented line.
                if (m.BaseFolders.Length > 0) ctx.Output.WriteLine($"{"",-9}base folders: {Features.Datasets.BaseFolders.Describe(m.BaseFolders)}");
            }
            return 0;
        });

        var version = new Argument<string>("version") { Description = "The version to serve, e.g. v3." };
        var promote = new Command("promote", "Make a version the serving model (its checkpoint is checked first).") { version };
        promote.SetAction(parse =>
        {
            using var ctx = context();
            var v = parse.GetValue(version)!;
            var record = ctx.Database.Models.Get(v) ?? throw new ArgumentException($"No model '{v}' (see `models list`).");
            CheckpointFile.ReadInfo(ctx.Catalog.PathOf(record)); // a broken file is refused before it can be promoted
            ctx.Database.Models.Promote(v, "operator: models promote");
            ctx.Output.WriteLine($"{v} is now the serving model (a running service switches within {Features.Classification.ServingModel.PollInterval.TotalSeconds:0} s).");
            return 0;
        });

        var rollback = new Command("rollback", "Serve the previous champion again.");
        rollback.SetAction(parse =>
        {
            using var ctx = context();
            var e = ctx.Database.Models.Rollback("operator: models rollback");
            ctx.Output.WriteLine($"Rolled back: {e.Version} serves again (was {e.PreviousVersion}).");
            return 0;
        });
        return new Command("models", "List, promote and roll back model versions.") { list, promote, rollback };
    }

    private static string Metric(IReadOnlyDictionary<string, double> metrics, string key) =>
        metrics.TryGetValue(key, out var v) ? $"{v:P1}" : "-";
}
