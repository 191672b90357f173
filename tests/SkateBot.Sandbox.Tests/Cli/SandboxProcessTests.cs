using System.Diagnostics;
using SkateBot.Sandbox.Tests.Support;
using SkateBot.Testing.Paths;

namespace SkateBot.Sandbox.Tests.Cli;

/// <summary>The sandbox as its own process (the built SkateBot.dll, run like <c>dotnet run -- sandbox</c>): Ctrl+C (SIGINT)
/// or SIGTERM ends it cleanly, with no process and no listening port left behind.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxProcessTests(TinyModel model)
{
    [SkippableFact]
    public async Task Process_Interrupted_ExitsZeroAndLeavesNoProcessOrPort()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && ListeningSockets.Available, "needs Linux (SIGINT via kill, /proc/net/tcp)");
        var dll = Path.Combine(AppContext.BaseDirectory, "SkateBot.dll");
        Skip.IfNot(File.Exists(dll), $"{dll} is not built next to the tests");
        using var data = new TempDirectory("skatebot-sandbox-process");
        model.InstallIn(data.Path);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "sandbox", "--port", "0", "--data", data.Path }) start.ArgumentList.Add(arg);
        start.Environment["SKATEBOT_Model__Device"] = "cpu";
        start.Environment["SKATEBOT_Retraining__Schedule"] = "";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var printedUrl = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var stdout = Task.Run(async () =>
            {
                // Keep reading to the end: a full pipe would block the bot's logging.
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                    if (SandboxRun.UrlLine().Match(line) is { Success: true } m) printedUrl.TrySetResult(m.Groups[1].Value);
                printedUrl.TrySetResult(null);
            });
            var url = await printedUrl.Task.WaitAsync(SandboxRun.Patience);
            Assert.NotNull(url);
            var port = new Uri(url).Port;
            using (var http = new HttpClient())
                Assert.Contains("SkateBot sandbox", await http.GetStringAsync(url), StringComparison.Ordinal);

            using (var kill = Process.Start("kill", [InterruptSignal(), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(SandboxRun.Patience);
            await stdout;

            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await stderr}");
            Assert.False(Directory.Exists($"/proc/{process.Id}"), "the process is still there");
            Assert.Empty(ListeningSockets.On(port));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Ctrl+C (SIGINT), unless this test run ignores SIGINT (started in the background by a shell, which the child
    /// would inherit); then SIGTERM, what a service manager sends. Both stop the host the same way.</summary>
    private static string InterruptSignal()
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ignored is null ? 0 : Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16);
        return (mask & 0b10) != 0 ? "-TERM" : "-INT";
    }
}
