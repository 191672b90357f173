using System.Diagnostics;
using System.Globalization;

namespace SkateBot.Storage.Tests;

/// <summary>One acknowledged vote printed by the CrashWriter: Vote() had returned before the line was written.</summary>
internal sealed record Ack(int Step, long VoteId, string UserId, string ClassName);

/// <summary>Runs tests/SkateBot.Storage.CrashWriter (copied to &lt;test output&gt;/crashwriter) and collects its acks.</summary>
internal sealed class CrashWriterProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _firstAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdout;
    private readonly Task<string> _stderr;

    private CrashWriterProcess(Process process)
    {
        _process = process;
        _stdout = Task.Run(ReadStdout);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "crashwriter", "SkateBot.Storage.CrashWriter.dll");

    /// <summary>Waits until the child printed its first ack (the database is open and written); false on timeout or exit.</summary>
    public bool WaitForFirstAck(TimeSpan timeout)
    {
        try
        {
            return _firstAck.Task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    public static CrashWriterProcess Start(string dataDirectory, string imageSha, string userPrefix, int count, bool ownTmp = false)
    {
        if (!File.Exists(DllPath))
        {
            throw new FileNotFoundException("The CrashWriter was not copied next to the tests (see CopyCrashWriter in the test csproj).", DllPath);
        }

        // DOTNET_HOST_PATH is set by the dotnet CLI for the processes it starts (dotnet test included).
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ownTmp)
        {
            // Its own /tmp, as a second container on the same data volume has: .NET keeps named mutexes (LiteDB's
            // shared-mode lock) in /tmp/.dotnet/shm, whatever TMPDIR says. A private mount namespace with a fresh tmpfs.
            info.FileName = "unshare";
            foreach (var arg in new[] { "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /tmp && exec \"$0\" \"$@\"",
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" })
            {
                info.ArgumentList.Add(arg);
            }
        }
        foreach (var arg in new[] { DllPath, "votes", dataDirectory, imageSha, userPrefix, count.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        return new CrashWriterProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the CrashWriter"));
    }

    /// <summary>Whether this machine lets a test give a child process its own /tmp (root and unshare(1)); null if so, else why not.</summary>
    public static string? CannotIsolateTmp()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /tmp"])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var error = probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : $"unshare --mount failed ({error.Trim()}): needs root";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"unshare(1) is not available ({ex.Message})";
        }
    }

    /// <summary>SIGKILL on Linux: no finalizers, no flushing, no Dispose.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
        _stdout.Wait();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"CrashWriter still running after {timeout}; stderr: {Stderr()}");
        }

        _stdout.Wait();
        return _process.ExitCode;
    }

    public string Stderr() => _stderr.IsCompleted ? _stderr.Result : "(still running)";

    public IReadOnlyList<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    /// <summary>Complete ack lines; a line cut short by the kill is not an ack.</summary>
    public IReadOnlyList<Ack> Acks() => Lines()
        .Select(l => l.Split(' '))
        .Where(p => p.Length == 5 && p[0] == "ack" && p[4] is "aggressive" or "inline")
        .Select(p => new Ack(int.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture), p[3], p[4]))
        .ToList();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task ReadStdout()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }

            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                _firstAck.TrySetResult();
            }
        }

        _firstAck.TrySetException(new InvalidOperationException("CrashWriter ended without an ack"));
    }
}
