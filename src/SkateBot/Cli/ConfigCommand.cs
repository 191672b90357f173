using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;

namespace SkateBot.Cli;

/// <summary>
/// <c>config check</c>: every key the bot binds, its effective value (secrets masked) and where it came from; then what
/// <c>serve</c> would refuse at start, one line per problem naming the key, and exit code 2 if there is any.
/// </summary>
public static class ConfigCommand
{
    public static Command Create(Func<IConfiguration> configuration, TextWriter output, TextWriter error)
    {
        var check = new Command("check", "Print the effective configuration with each value's source, and check it as serve would at start (exit code 2 when invalid).");
        check.SetAction(_ => Check(configuration(), output, error));
        return new Command("config", "Inspect the configuration.") { check };
    }

    public static int Check(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var settings = EffectiveConfiguration.Read(configuration);
        var keyWidth = settings.Max(s => s.Key.Length);
        var valueWidth = Math.Min(48, settings.Max(s => s.Value.Length));
        output.WriteLine("Effective configuration (later sources win: config/appsettings.json, config/appsettings.local.json, SKATEBOT_* environment variables):");
        foreach (var s in settings)
            output.WriteLine($"  {s.Key.PadRight(keyWidth)}  {s.Value.PadRight(valueWidth)}  ({s.Source})");
        var problems = ConfigurationCheck.Problems(configuration);
        foreach (var problem in problems) error.WriteLine($"error: {problem}");
        if (problems.Count > 0)
        {
            error.WriteLine($"{problems.Count} problem{(problems.Count == 1 ? "" : "s")}: serve would refuse to start.");
            return CliApp.ExitUsage;
        }
        output.WriteLine("Configuration is valid.");
        return 0;
    }
}
