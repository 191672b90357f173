using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SkateBot.Cli;
using SkateBot.Configuration;
using SkateBot.Features.Retraining;
using SkateBot.Testing.Paths;

namespace SkateBot.Tests.Cli;

/// <summary>One composition root: a CLI command's services come from the host serve builds, never from a second wiring.</summary>
public sealed class CompositionRootTests
{
    [Fact]
    public void CliContextAndServe_SameConfiguration_ResolveEqualOptionsForEverySection()
    {
        using var dir = new TempDirectory("skatebot-composition");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dir.Path,
            ["Model:Device"] = "cpu",
            ["Model:MaxBatchSize"] = "7",
            ["Training:BatchSize"] = "12",
            ["Retraining:MinVotes"] = "3",
            ["Retraining:Schedule"] = "",
            ["Observability:Url"] = "",
            ["Downloads:AllowedHosts:0"] = "cdn.discordapp.com",
            ["Discord:Token"] = "not-a-real-token",
            ["Discord:Intents"] = "513",
            ["Discord:Channels:0"] = "500000000000000001",
            ["Reddit:ClientId"] = "client",
            ["Reddit:ClientSecret"] = "secret",
            ["Reddit:UserAgent"] = "linux:skatebot-tests:1.0.0 (by /u/skatebot_tests)",
            ["Reddit:Subreddits:0"] = "rollerblading",
            ["Reddit:PollInterval"] = "00:02:00",
        }).Build();

        using var serve = ServeCommand.Build(configuration, []);
        using var cli = CliContext.Create(configuration, TextWriter.Null, TextWriter.Null);

        foreach (var section in OptionsCatalog.Listed)
        {
            var optionsType = typeof(IOptions<>).MakeGenericType(section.Type);
            var fromServe = optionsType.GetProperty("Value")!.GetValue(serve.Services.GetRequiredService(optionsType));
            var fromCli = optionsType.GetProperty("Value")!.GetValue(cli.Services.GetRequiredService(optionsType));
            Assert.Equal(JsonSerializer.Serialize(fromServe, section.Type), JsonSerializer.Serialize(fromCli, section.Type));
        }
        Assert.Equal(7, cli.Model.MaxBatchSize);
        Assert.Equal(12, cli.Training.BatchSize);
        Assert.Equal(3, cli.Options<RetrainingOptions>().MinVotes);
        Assert.Equal(513, cli.Options<SkateBot.Discord.DiscordClientOptions>().Intents);
        Assert.Equal(TimeSpan.FromMinutes(2), cli.Options<SkateBot.Features.RedditScanning.RedditScanningOptions>().PollInterval);
    }

    [Fact]
    public async Task CliCommand_BadValueServeRefuses_IsRefusedTooNamingTheKey()
    {
        using var dir = new TempDirectory("skatebot-composition");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dir.Path,
            ["Model:Device"] = "cpu",
            ["Retraining:MinVotes"] = "0",
            ["Observability:Url"] = "",
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["stats"], output, error, configuration);

        Assert.Equal(CliApp.ExitError, exit);
        Assert.Contains("Retraining:MinVotes", error.ToString(), StringComparison.Ordinal);
    }
}
