using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkateBot.Configuration;
using SkateBot.Features;

namespace SkateBot.Cli;

/// <summary>
/// <c>serve</c>: the long-running bot. Always: serving model, retraining schedule. With <c>Discord:Token</c>: the Discord bot.
/// With Reddit credentials: the subreddit scanner (with or without Discord).
/// </summary>
public static class ServeCommand
{
    public static Command Create(Func<IConfiguration> configuration)
    {
        var command = new Command("serve", "Run the bot: Discord replies and corrections, Reddit scanning, scheduled retraining.");
        command.SetAction(async (parse, ct) =>
        {
            // The host handles SIGTERM/SIGINT itself (finishing replies in flight, within its shutdown timeout); System.CommandLine's
            // own handling would end the process 2 s after the signal with exit code 143. Must be set before the first await.
            parse.InvocationConfiguration.ProcessTerminationTimeout = null;
            var config = configuration();
            using var host = Build(config, []);
            foreach (var line in Describe(config)) Console.Error.WriteLine(line);
            var exitCode = host.Services.GetRequiredService<ExitCode>();
            await host.RunAsync(ct);
            return exitCode.Value;
        });
        return command;
    }

    /// <summary>What this configuration turns on, so a first run says what to set next (no secrets printed).</summary>
    public static IEnumerable<string> Describe(IConfiguration config)
    {
        yield return string.IsNullOrWhiteSpace(config["Discord:Token"])
            ? "Discord: off (set Discord:Token, e.g. SKATEBOT_Discord__Token, to run the bot; see README \"Set up a Discord bot\")."
            : $"Discord: on, API {config["Discord:ApiBaseUrl"]}.";
        yield return string.IsNullOrWhiteSpace(config["Reddit:ClientId"])
            ? "Reddit: off (set Reddit:ClientId and friends to scan subreddits; see README \"Set up Reddit access\")."
            : $"Reddit: on, scanning every {config["Reddit:PollInterval"]}.";
        var observability = Features.Observability.ObservabilityOptions.EffectiveUrl(config);
        yield return string.IsNullOrWhiteSpace(observability)
            ? "Health and metrics: off (Observability:Url is empty)."
            : $"Health and metrics: {observability}/healthz and /metrics.";
        yield return string.IsNullOrWhiteSpace(config["Retraining:Schedule"])
            ? "Scheduled retraining: off."
            : $"Scheduled retraining: cron '{config["Retraining:Schedule"]}' (UTC), and after {config["Retraining:NewLabelThreshold"]} new labels.";
    }

    public static IHost Build(IConfiguration configuration, string[] args) => CreateBuilder(configuration, args).Build();

    /// <summary>The one composition root: serve's host, which every CLI command also builds its services from
    /// (<see cref="CliContext"/>). Settings come only from <paramref name="configuration"/>.</summary>
    public static HostApplicationBuilder CreateBuilder(IConfiguration configuration, string[]? args = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args ?? [], DisableDefaults = false });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddServeServices(builder.Configuration);
        return builder;
    }

    /// <summary>What <c>serve</c> registers; <c>config check</c> validates through the same registrations.</summary>
    public static IServiceCollection AddServeServices(this IServiceCollection services, IConfiguration configuration) =>
        services.AddObservability(configuration).AddSkateBotCore().AddSkateBotFrontEnds(configuration);
}
