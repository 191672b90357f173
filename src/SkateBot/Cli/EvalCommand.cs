using System.CommandLine;
using SkateBot.Features.Datasets;
using SkateBot.Vision.Evaluation;
using SkateBot.Vision.Inference;

namespace SkateBot.Cli;

/// <summary><c>eval folder [--json]</c>: error rate, confusion matrix and a report for any labelled folder.</summary>
public static class EvalCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var folder = new Argument<string>("folder") { Description = "A folder with one sub-folder per class, e.g. ../shared/photos/holdout." };
        var model = new Option<string?>("--model") { Description = "A model version or checkpoint file (default: the serving model)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var views = new Option<string?>("--preprocessing") { Description = "Evaluate with pad, crop or multi instead of the model's own preprocessing (to compare them)." };
        var firstView = FirstViewOption.Create();
        var command = new Command("eval", "Evaluate a model on a labelled folder and write a report under data/runs/.") { folder, model, json, views, firstView };
        command.SetAction((parse, ct) =>
        {
            using var ctx = context();
            return Task.FromResult(Run(ctx, parse.GetValue(folder)!, parse.GetValue(model), parse.GetValue(json), parse.GetValue(views),
                parse.GetValue(firstView), ct));
        });
        return command;
    }

    private static int Run(CliContext ctx, string folder, string? modelName, bool json, string? preprocessing, double? firstViewAbove, CancellationToken ct)
    {
        var (classes, items) = FolderDatasets.All(folder);
        var sources = items.Select(i => new LabelledSource(i.Path, classes[i.ClassIndex], () => ctx.Loader.Load(i.Path))).ToList();
        var checkpoint = ctx.Catalog.ResolveCheckpoint(modelName);
        var runDir = Path.Combine(ctx.Storage.RunsDirectory, $"{ctx.Time.GetUtcNow():yyyyMMdd-HHmmss}-eval-{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder.Replace('#', '-'))))}");
        var outcome = EvaluationJob.Run(checkpoint, sources, ctx.Device, runDir, $"evaluation on {folder}", ctx.Model.MaxBatchSize, ct, preprocessing, firstViewAbove,
            ctx.Model.Serving(InferenceOptions.Default));
        var r = outcome.Result;
        if (json)
        {
            var summary = RunReportWriter.Summary($"evaluation on {folder}", r);
            summary["model"] = outcome.Version;
            summary["report"] = outcome.ReportDirectory;
            summary["skipped"] = outcome.Skipped;
            summary["views_forwarded"] = r.ViewsForwarded;
            summary["engine"] = outcome.Engine;
            foreach (var (k, v) in AnswerFigures(r)) summary[k] = v;
            JsonOutput.Write(ctx.Output, summary);
            return 0;
        }
        foreach (var s in outcome.Skipped) ctx.Error.WriteLine($"skipped {s}");
        if (preprocessing is not null) ctx.Output.WriteLine($"Preprocessing: {preprocessing} (instead of the model's own)");
        if (firstViewAbove is not null) ctx.Output.WriteLine($"First view decides at {firstViewAbove:0.###} or more (instead of the model's own)");
        ctx.Output.WriteLine($"Model {outcome.Version} on {folder}: error rate {r.ErrorRate:P1} ({r.Errors} of {r.Count} wrong), loss {r.Loss:0.0000}");
        ctx.Output.WriteLine($"Engine: {outcome.Engine} (as the service serves it)");
        var (before, after) = r.CalibrationError();
        ctx.Output.WriteLine($"Answers: {r.WrongAnswers} of {r.Count} wrong; skate photos {Pct(r.SkateWrongRate)} wrong, {Pct(r.SkateUnsureRate)} unsure ({r.SkateCount}); " +
            $"not inline skates {Pct(r.OtherFlaggedRate)} answered unsure ({r.OtherCount})");
        ctx.Output.WriteLine($"Threshold-free: skate class right {Pct(r.SkateClassRightRate)} of skate photos; P(other) ranks not-a-skate photos above skate photos with AUC {Auc(r.OtherAuc)} (1 perfect, 0.5 chance)");
        ctx.Output.WriteLine($"Views forwarded: {r.ViewsForwarded} for {r.Count} photos ({(r.Count == 0 ? 0 : (double)r.ViewsForwarded / r.Count):0.00} per photo)");
        ctx.Output.WriteLine($"Calibration: expected calibration error {before:P1} before temperature scaling, {after:P1} after (T = {r.Temperature:0.00})");
        var m = r.Confusion();
        var width = Math.Max(12, r.Classes.Max(c => c.Length) + 2);
        ctx.Output.WriteLine($"{"actual \\ predicted".PadRight(width)}{string.Concat(r.Classes.Select(c => c.PadRight(width)))}");
        for (var a = 0; a < r.Classes.Count; a++)
            ctx.Output.WriteLine($"{r.Classes[a].PadRight(width)}{string.Concat(Enumerable.Range(0, r.Classes.Count).Select(p => m[a, p].ToString().PadRight(width)))}");
        foreach (var c in r.PerClass())
            ctx.Output.WriteLine($"{c.Class}: precision {c.Precision:P1}, recall {c.Recall:P1} ({c.Support} images)");
        foreach (var miss in r.Items.Where(i => !i.Correct))
            ctx.Output.WriteLine($"wrong: {miss.Id} is {r.Classes[miss.Actual]}, predicted {r.Classes[miss.Predicted]} ({miss.PredictedProbability:P1}), answered {miss.Answer}");
        ctx.Output.WriteLine($"Report {outcome.ReportDirectory}");
        return 0;
    }

    private static string Pct(double rate) => double.IsFinite(rate) ? rate.ToString("P1") : "–";
    private static string Auc(double auc) => double.IsFinite(auc) ? auc.ToString("0.000") : "–";

    private static Dictionary<string, object?> AnswerFigures(EvaluationResult r)
    {
        var (before, after) = r.CalibrationError();
        double? F(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;
        return new()
        {
            ["wrong_answers"] = r.WrongAnswers, ["skate_images"] = r.SkateCount, ["other_images"] = r.OtherCount,
            ["skate_wrong_rate"] = F(r.SkateWrongRate), ["skate_unsure_rate"] = F(r.SkateUnsureRate),
            ["other_flagged_rate"] = F(r.OtherFlaggedRate), ["skate_class_right_rate"] = F(r.SkateClassRightRate),
            ["other_auc"] = F(r.OtherAuc), ["temperature"] = F(r.Temperature),
            ["ece_before"] = F(before), ["ece_after"] = F(after),
            ["answers"] = r.Items.Select(i => new { id = i.Id, actual = r.Classes[i.Actual], answer = i.Answer, probabilities = i.Probabilities.Select(p => Math.Round(p, 4)) }).ToArray(),
        };
    }
}
