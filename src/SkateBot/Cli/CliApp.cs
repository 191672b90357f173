using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;
using SkateBot.Storage;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Cli;

/// <summary>The command line: one file per command in this folder; this class only assembles them and maps errors.</summary>
public static class CliApp
{
    public const int ExitError = 1, ExitUsage = 2, ExitInternal = 70;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null,
        IConfiguration? configuration = null, CancellationToken ct = default, TimeProvider? time = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        IConfiguration Configuration() => configuration ?? SkateBotConfiguration.Build();
        CliContext Context() => CliContext.Create(Configuration(), output, error, time);
        var root = new RootCommand("SkateBot: tells aggressive skates from inline skates, learns from corrections.")
        {
            TrainCommand.Create(Context),
            PredictCommand.Create(Context),
            EvalCommand.Create(Context),
            SamplesCommand.Create(Context),
            RetrainCommand.Create(Context),
            ModelsCommand.Create(Context),
            LabelsCommand.Create(Context),
            StatsCommand.Create(Context),
            SimulateCommand.Create(Context),
            ServeCommand.Create(Configuration),
            SandboxCommand.Create(Configuration, output, error),
            ConfigCommand.Create(Configuration, output, error),
            BackupCommand.Create(Context),
            HealthCommand.Create(Configuration, output, error),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run with --help for usage.");
            return ExitUsage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitError;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(IsUserError))
        {
            // ValidateOnStart reports several sections' problems at once.
            foreach (var inner in ex.InnerExceptions) error.WriteLine($"error: {inner.Message}");
            return ExitError;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            return ExitError;
        }
        catch (Exception ex)
        {
            // Not a problem the user can fix: say it is a bug, with the trace to report, and a distinct exit code.
            error.WriteLine($"internal error (please report it): {ex}");
            return ExitInternal;
        }
    }

    /// <summary>Problems the user can fix (a file, a setting, no model yet), shown as one line. Deliberately not
    /// InvalidOperationException: anywhere else it is a bug, and a bug must not read like advice.</summary>
    private static bool IsUserError(Exception ex) => ex is ImageLoadException or CheckpointException or ArgumentException or Vision.Data.DatasetException
        or ModelNotReadyException or ModelRegistryException or IOException or SchemaVersionException or NotSupportedException
        or UnauthorizedAccessException or Microsoft.Extensions.Options.OptionsValidationException;
}
