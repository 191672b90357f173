using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SkateBot.Cli;
using SkateBot.Configuration;
using SkateBot.Testing.Paths;

namespace SkateBot.Sandbox.Tests.Support;

/// <summary>
/// <c>skatebot sandbox</c> run in this process exactly as the command line runs it (<see cref="CliApp.RunAsync"/>), on a
/// free port and a temp data folder, with the repository's config/appsettings.json plus <paramref name="settings"/>.
/// Disposing it presses Ctrl+C (cancels) and waits for the command to return.
/// </summary>
public sealed partial class SandboxRun : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90); // a loaded 2-core machine

    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new(), _error = new();
    private readonly TextWriter _syncOutput, _syncError;
    private readonly int _exitCodeBefore = Environment.ExitCode;
    private Task<int> _run = Task.FromResult(0);

    private SandboxRun(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        _syncOutput = TextWriter.Synchronized(_output);
        _syncError = TextWriter.Synchronized(_error);
    }

    public string DataDirectory { get; }
    public string Url { get; private set; } = "";
    public int Port => new Uri(Url).Port;
    public string Output { get { lock (_syncOutput) return _output.ToString(); } }
    public string Error { get { lock (_syncError) return _error.ToString(); } }

    public static IConfiguration Configuration(IDictionary<string, string?>? settings = null) =>
        new ConfigurationBuilder().AddSkateBotSources(RepoPaths.Root).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Model:Device"] = "cpu",
            ["Model:MaxBatchDelay"] = "00:00:00.001",
            ["Retraining:Schedule"] = "",
            ["Retraining:PrecomputeFeatures"] = "false", // no background work beside what the test runs
            ["Logging:Console:LogLevel:Default"] = "None",
        }.Concat(settings ?? new Dictionary<string, string?>()).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value)).Build();

    /// <summary>Starts the command and returns once it has printed its URL.</summary>
    public static async Task<SandboxRun> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var run = new SandboxRun(dataDirectory);
        run._run = Task.Run(() => CliApp.RunAsync(["sandbox", "--port", "0", "--data", dataDirectory], run._syncOutput, run._syncError,
            Configuration(settings), run._stop.Token));
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (UrlLine().Match(run.Output) is not { Success: true } match)
        {
            if (run._run.IsCompleted) throw new InvalidOperationException($"sandbox exited with {await run._run}: {run.Error}");
            if (TimeProvider.System.GetUtcNow() > deadline) throw new TimeoutException("sandbox printed no URL: " + run.Output + run.Error);
            await Task.Delay(20);
        }
        run.Url = UrlLine().Match(run.Output).Groups[1].Value;
        return run;
    }

    /// <summary>Cancels (Ctrl+C) and returns the command's exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        try { return await _run.WaitAsync(Patience); }
        finally { Environment.ExitCode = _exitCodeBefore; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted) await StopAsync();
        _stop.Dispose();
    }

    [GeneratedRegex(@"SkateBot sandbox: (http://\S+/)")]
    public static partial Regex UrlLine();
}
