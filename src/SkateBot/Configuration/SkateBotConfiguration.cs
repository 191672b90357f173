using Microsoft.Extensions.Configuration;

namespace SkateBot.Configuration;

/// <summary>
/// Where settings come from, later ones winning: the defaults shipped next to the binary, <c>config/appsettings.json</c>
/// and the git-ignored <c>config/appsettings.local.json</c> in the working directory, then environment variables
/// prefixed <c>SKATEBOT_</c> with <c>__</c> between sections (e.g. <c>SKATEBOT_Discord__Token</c>).
/// </summary>
public static class SkateBotConfiguration
{
    public const string EnvironmentPrefix = "SKATEBOT_";

    public static IConfigurationBuilder AddSkateBotSources(this IConfigurationBuilder builder, string? workingDirectory = null)
    {
        var cwd = workingDirectory ?? Directory.GetCurrentDirectory();
        return builder
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(cwd, "config", "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(cwd, "config", "appsettings.local.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix);
    }

    public static IConfigurationRoot Build(string? workingDirectory = null) =>
        new ConfigurationBuilder().AddSkateBotSources(workingDirectory).Build();
}
