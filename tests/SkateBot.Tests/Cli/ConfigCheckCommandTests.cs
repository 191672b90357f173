using Microsoft.Extensions.Configuration;
using SkateBot.Cli;
using SkateBot.Configuration;
using SkateBot.Testing.Paths;
using SkateBot.Tests.Features.Retraining;

namespace SkateBot.Tests.Cli;

/// <summary><c>config check</c>: the effective configuration with sources, and the same verdict <c>serve</c> gives at start.</summary>
public sealed class ConfigCheckCommandTests
{
    private const string Snowflake = "500000000000000001";
    private const string UserAgent = "linux:skatebot-tests:1.0.0 (by /u/skatebot_tests)";

    [Fact]
    public async Task ConfigCheck_FilesAndEnvironment_PrintsEveryKeyWithItsSourceAndMasksSecrets()
    {
        using var dir = new TempDirectory("skatebot-config-check");
        Directory.CreateDirectory(dir.Combine("config"));
        File.WriteAllText(dir.Combine("config", "appsettings.json"), """{ "Model": { "MaxBatchSize": 8 } }""");
        File.WriteAllText(dir.Combine("config", "appsettings.local.json"),
            $$"""{ "Discord": { "Token": "tok-SECRET-1", "Channels": [ "{{Snowflake}}" ] }, "Reddit": { "Password": "pw-SECRET-2", "ClientSecret": "cs-SECRET-3" } }""");
        const string variable = "SKATEBOT_Training__Seed";
        Environment.SetEnvironmentVariable(variable, "7");
        IConfiguration configuration;
        try { configuration = SkateBotConfiguration.Build(dir.Path); }
        finally { Environment.SetEnvironmentVariable(variable, null); }

        var run = await RunAsync(configuration, "config", "check");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        var lines = run.Output.Split('\n').Select(l => l.Trim()).ToArray();
        string Line(string key) => Assert.Single(lines, l => l.StartsWith(key + " ", StringComparison.Ordinal));
        Assert.Matches(@"^Model:MaxBatchSize +8 +\(.*config[/\\]appsettings\.json\)$", Line("Model:MaxBatchSize"));
        Assert.EndsWith($"({dir.Combine("config", "appsettings.local.json")})", Line("Discord:Channels"), StringComparison.Ordinal);
        Assert.Contains($"[{Snowflake}]", Line("Discord:Channels"), StringComparison.Ordinal);
        Assert.Matches(@"^Training:Seed +7 +\(environment variable SKATEBOT_Training__Seed\)$", Line("Training:Seed"));
        Assert.Contains(EffectiveConfiguration.Masked, Line("Discord:Token"), StringComparison.Ordinal);
        Assert.Contains(EffectiveConfiguration.Masked, Line("Reddit:Password"), StringComparison.Ordinal);
        Assert.Contains(EffectiveConfiguration.Masked, Line("Reddit:ClientSecret"), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", run.Output, StringComparison.Ordinal);
        Assert.Contains("Configuration is valid.", run.Output, StringComparison.Ordinal);
        // Every key of every options class is listed, whatever set it (a key nobody set says "default").
        foreach (var section in OptionsCatalog.Listed)
            foreach (var property in section.Type.GetProperties().Where(p => p.SetMethod?.IsPublic == true))
                Line($"{section.Name}:{property.Name}");
        Assert.Matches(@"^Training:BaseFolders +\[\] +\(default\)$", Line("Training:BaseFolders"));
        Assert.Contains("Retraining:CheckInterval", run.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadValues() => new()
    {
        // key to set, its value, the key the problem must name
        { "Discord:Channels:0", Snowflake, "Discord:Token" },
        { "Discord:ReviewChannelId", Snowflake, "Discord:Token" },
        { "Discord:OperatorUserIds:0", "@skater", "Discord:OperatorUserIds:0" },
        { "Discord:GuildId", "12345678901234567890123", "Discord:GuildId" },
        { "Retraining:NewLabelThreshold", "-1", "Retraining:NewLabelThreshold" },
        { "Reddit:UncertainBelowConfidence", "-0.5", "Reddit:UncertainBelowConfidence" },
        { "Retraining:Schedule", "every night", "Retraining:Schedule" },
        { "Retraining:CheckInterval", "00:00:00", "Retraining:CheckInterval" },
        { "Downloads:Timeout", "-00:00:05", "Downloads:Timeout" },
        { "Model:MaxBatchDelay", "00:00:05", "Model:MaxBatchDelay" },
        { "Model:MaxBatchDelay", "soon", "Model:MaxBatchDelay" },
        { "Discord:AnswerMissedPhotosWithin", "2.00:00:00", "Discord:AnswerMissedPhotosWithin" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task ConfigCheckAndServe_BadValue_BothRefuseItNamingTheSameKey(string key, string value, string named)
    {
        using var dir = new TempDirectory("skatebot-config-bad");
        var settings = Valid(dir.Path);
        if (key.StartsWith("Discord:", StringComparison.Ordinal) && named != "Discord:Token") settings["Discord:Token"] = "not-a-real-token";
        if (key.StartsWith("Reddit:", StringComparison.Ordinal)) AddReddit(settings);
        settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var check = await RunAsync(configuration, "config", "check");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // serve must refuse at start, not run
        var serve = await RunAsync(configuration, patience.Token, "serve");

        Assert.Equal(CliApp.ExitUsage, check.ExitCode);
        var problems = check.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        var problem = Assert.Single(problems);
        Assert.Contains(named, problem, StringComparison.Ordinal);
        Assert.Contains("1 problem: serve would refuse to start.", check.Error, StringComparison.Ordinal);
        Assert.Equal(CliApp.ExitError, serve.ExitCode);
        Assert.False(patience.IsCancellationRequested, "serve started instead of refusing the configuration");
        Assert.Contains(named, serve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_SeveralProblems_OneLineEach()
    {
        using var dir = new TempDirectory("skatebot-config-bad");
        var settings = Valid(dir.Path);
        settings["Retraining:Schedule"] = "0 3 * *";
        settings["Downloads:Timeout"] = "02:00:00";
        settings["Discord:Channels:0"] = "general";

        var check = await RunAsync(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "config", "check");

        Assert.Equal(CliApp.ExitUsage, check.ExitCode);
        var problems = check.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, problems.Length); // the three keys, and the token those channels need
        foreach (var key in new[] { "Retraining:Schedule", "Downloads:Timeout", "Discord:Channels:0", "Discord:Token" })
            Assert.Single(problems, p => p.Contains(key, StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Valid(string dataDirectory) => new()
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Model:Device"] = "cpu",
        ["Downloads:AllowedHosts:0"] = "i.redd.it",
        ["Retraining:Schedule"] = "",
        ["Observability:Url"] = "",
        ["Logging:LogLevel:Default"] = "None",
    };

    private static void AddReddit(Dictionary<string, string?> settings)
    {
        settings["Reddit:ClientId"] = "client";
        settings["Reddit:ClientSecret"] = "secret";
        settings["Reddit:UserAgent"] = UserAgent;
        settings["Reddit:Subreddits:0"] = "rollerblading";
    }

    private static Task<CliRun> RunAsync(IConfiguration configuration, params string[] args) => RunAsync(configuration, CancellationToken.None, args);

    private static async Task<CliRun> RunAsync(IConfiguration configuration, CancellationToken ct, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, configuration, ct);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
