using System.Text.Json;
using Spectre.Console;
using SkateBot.Vision.Reports;

namespace SkateBot.Features.Simulation;

/// <summary>simulate's results: a table on the console, <c>learning_curve.json</c> and <c>learning_curve.png</c>.</summary>
public static class SimulationOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static (string Json, string Png) Write(string directory, IReadOnlyList<SimulationRow> rows, SimulationSettings settings)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "learning_curve.json");
        File.WriteAllText(json, JsonSerializer.Serialize(new
        {
            stream = settings.StreamFolder, eval = settings.EvalFolders, @base = settings.BaseFolders, settings.Strategies,
            settings.PostsPerRound, settings.LabelsPerRound, settings.ConfirmShare, settings.Voters, settings.WrongVoteShare, settings.Contrarian, settings.Seed,
            rows = rows.Select(r => new
            {
                strategy = r.Strategy, round = r.Round, photos_posted = r.PhotosPosted, images_labelled = r.ImagesLabelled, votes = r.Votes,
                serving = r.ServingVersion, outcome = r.Outcome,
                figures = r.Figures.Select(f => new
                {
                    folder = f.Folder, images = f.Images, errors = f.Errors, error_rate = Finite(f.ErrorRate), wrong_answers = f.WrongAnswers,
                    skate_unsure_rate = Finite(f.SkateUnsureRate), other_flagged_rate = Finite(f.OtherFlaggedRate),
                    skate_class_right_rate = Finite(f.SkateClassRightRate), other_auc = Finite(f.OtherAuc),
                }),
            }),
        }, Json));
        var png = Path.Combine(directory, "learning_curve.png");
        var series = rows.GroupBy(r => r.Strategy).SelectMany(g => settings.EvalFolders.Select((folder, i) => new LearningCurveSeries(
            $"{g.Key}: {folder}", g.Select(r => ((double)r.ImagesLabelled, r.Figures[i].ErrorRate)).ToList()))).ToList();
        ReportImages.WriteLearningCurve(png, $"Learning curve: {settings.StreamFolder}", series);
        return (json, png);
    }

    public static void Print(TextWriter output, IReadOnlyList<SimulationRow> rows, IReadOnlyList<string> evalFolders)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in new[] { "strategy", "round", "posted", "labelled", "votes", "serving", "retrain" }) table.AddColumn(h);
        foreach (var f in evalFolders) table.AddColumn(new TableColumn(Markup.Escape($"{f}: errors, named wrong, skates unsure")).RightAligned());
        foreach (var r in rows)
        {
            var cells = new List<string> { r.Strategy, r.Round.ToString(), r.PhotosPosted.ToString(), r.ImagesLabelled.ToString(), r.Votes.ToString(), r.ServingVersion, r.Outcome };
            cells.AddRange(r.Figures.Select(f => $"{f.Errors}/{f.Images} ({Pct(f.ErrorRate)} %), {f.WrongAnswers}, {Pct(f.SkateUnsureRate)} %"));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        console.Write(table);
    }

    private static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("0.0") : "–";

    private static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;
}
