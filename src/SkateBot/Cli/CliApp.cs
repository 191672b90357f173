using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;
using SkateBot.Storage;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Imaging;

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
        CliContext Context() => new(Configuration(), output, error, time);
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
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            return ExitError;
        }
    }

    private static bool IsUserError(Exception ex) => ex is ImageLoadException or CheckpointException or ArgumentException or Vision.Data.DatasetException
        or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException or SchemaVersionException
        or UnauthorizedAccessException or Microsoft.Extensions.Options.OptionsValidationException;
}
