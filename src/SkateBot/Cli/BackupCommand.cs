using System.CommandLine;
using SkateBot.Storage;

namespace SkateBot.Cli;

/// <summary>
/// <c>backup &lt;file&gt;</c>: a consistent copy of the database, safe while <c>serve</c> runs (taken under the file's
/// shared-mode lock, then opened and counted; see <see cref="SkateDatabase.Backup"/>). Restore: stop the service and copy
/// the file back to <c>&lt;Storage:DataDirectory&gt;/skatebot.db</c>.
/// </summary>
public static class BackupCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var file = new Argument<string>("file") { Description = "The copy to write (must not exist yet)." };
        var command = new Command("backup", "Copy the database consistently while the service may be running, and check the copy.") { file };
        command.SetAction(parse =>
        {
            using var ctx = context();
            var source = Path.Combine(ctx.Storage.FullDataDirectory, SkateDatabase.FileName);
            if (!File.Exists(source))
            {
                ctx.Error.WriteLine($"error: there is no database at {source} (check Storage:DataDirectory).");
                return CliApp.ExitError;
            }
            var backup = ctx.Database.Backup(parse.GetValue(file)!);
            ctx.Output.WriteLine($"Backed up {source} to {backup.Path} ({backup.Bytes / 1024.0 / 1024.0:0.0} MB).");
            ctx.Output.WriteLine("The copy opens and holds the same documents: " +
                string.Join(", ", backup.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")) + ".");
            ctx.Output.WriteLine($"Restore: stop the service, then copy {backup.Path} to {source}.");
            return 0;
        });
        return command;
    }
}
