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
            using var host = Build(configuration(), []);
            await host.RunAsync(ct);
            return Environment.ExitCode;
        });
        return command;
    }

    public static IHost Build(IConfiguration configuration, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = false });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddSkateBotCore();
        builder.Services.AddSkateBotFrontEnds(builder.Configuration);
        return builder.Build();
    }
}
