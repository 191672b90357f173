using System.CommandLine;
using SkateBot.Features.Retraining;

namespace SkateBot.Cli;

/// <summary>
/// <c>retrain</c>: fine-tune the champion on the base data plus every resolved label, promote only if not worse. Safe while
/// the service runs: a lock file keeps one training at a time, and the service picks up a promotion by itself.
/// </summary>
public static class RetrainCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print the outcome as JSON." };
        var command = new Command("retrain", "Retrain on everything people labelled; promote the result only if it is not worse.") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var ctx = context();
            var asJson = parse.GetValue(json);
            var service = ctx.Get<RetrainingService>();
            var outcome = await service.RetrainAsync("operator: retrain command", new SynchronousProgress(m => { if (!asJson) ctx.Output.WriteLine(m); }), ct);
            if (asJson) JsonOutput.Write(ctx.Output, outcome);
            else
            {
                ctx.Output.WriteLine(outcome.Summary());
                if (outcome.ReportDirectory is not null) ctx.Output.WriteLine($"Report {outcome.ReportDirectory}");
            }
            return outcome.Status is RetrainStatus.Promoted or RetrainStatus.Rejected ? 0 : CliApp.ExitError;
        });
        return command;
    }

    /// <summary>Reports on the caller's thread at once (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
