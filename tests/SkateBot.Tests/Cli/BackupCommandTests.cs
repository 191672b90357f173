using Microsoft.Extensions.Configuration;
using SkateBot.Cli;
using SkateBot.Storage;
using SkateBot.Testing.Paths;

namespace SkateBot.Tests.Cli;

/// <summary><c>backup</c> from the command line while another connection (the service's) keeps writing.</summary>
public sealed class BackupCommandTests
{
    [Fact]
    public async Task Backup_WhileServiceConnectionWrites_CopyRestoresWithTheCountsItPrinted()
    {
        using var data = new TempDirectory("skatebot-backup-data");
        using var target = new TempDirectory("skatebot-backup-copy");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data.Path }).Build();
        using var service = SkateDatabase.Open(data.Path);
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Factory.StartNew(() =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                service.Cursors.Set($"writer:{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Interlocked.Increment(ref written);
            }
        }, TaskCreationOptions.LongRunning);
        while (Volatile.Read(ref written) < 5) await Task.Delay(10);
        var file = target.Combine("skatebot-backup.db");

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(["backup", file], output, error, configuration);
        var before = Volatile.Read(ref written);
        while (Volatile.Read(ref written) < before + 5) await Task.Delay(10); // the writer carried on after the backup
        await stop.CancelAsync();
        await writer;

        Assert.True(exit == 0, error.ToString());
        Assert.Equal("", error.ToString());
        Assert.Contains($"to {file} (", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Restore: stop the service, then copy", output.ToString(), StringComparison.Ordinal);
        var restored = Directory.CreateDirectory(target.Combine("restored")).FullName;
        File.Copy(file, Path.Combine(restored, SkateDatabase.FileName));
        using var copy = SkateDatabase.Open(restored);
        var cursors = Enumerable.Range(0, written).Count(n => copy.Cursors.Get($"writer:{n}") is not null);
        Assert.Contains("cursors ", output.ToString(), StringComparison.Ordinal);
        Assert.InRange(cursors, 5, written - 5);
        Assert.All(Enumerable.Range(0, cursors), n => Assert.NotNull(copy.Cursors.Get($"writer:{n}"))); // a prefix: no write lost in the middle
    }

    [Fact]
    public async Task Backup_NoDatabaseYet_OneErrorLineAndExitCode1()
    {
        using var data = new TempDirectory("skatebot-backup-empty");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data.Path }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["backup", data.Combine("copy.db")], output, error, configuration);

        Assert.Equal(CliApp.ExitError, exit);
        Assert.StartsWith("error: there is no database at", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(data.Combine("copy.db")));
    }
}
