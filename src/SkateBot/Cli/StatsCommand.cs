using System.CommandLine;
using SkateBot.Features.Retraining;

namespace SkateBot.Cli;

/// <summary><c>stats</c>: what the bot has seen and learnt.</summary>
public static class StatsCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("stats", "Images, predictions, labels, corrections and the serving model.") { json };
        command.SetAction(parse =>
        {
            using var ctx = context();
            var report = BotStatistics.Collect(ctx.Database, ctx.Options<RetrainingOptions>().MinVotes);
            if (parse.GetValue(json)) JsonOutput.Write(ctx.Output, report);
            else foreach (var line in report.Lines()) ctx.Output.WriteLine(line);
            return 0;
        });
        return command;
    }
}
