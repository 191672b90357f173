using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SkateBot.Cli;
using SkateBot.Features.Classification;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>Logs an operator can follow a photo by, and logging configured by the standard Logging section.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DiscordLogTests(TinyModelFixture model)
{
    [Fact]
    public async Task Photo_Classified_OneLineCarriesMessageIdImageHashAndModelVersion()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var photo = h.NewPhoto();

        var message = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, photo);
        await h.ReplyToAsync(message);

        var line = Assert.Single(h.Logs.Entries, e => e.Category == typeof(ClassificationPipeline).FullName && e.Level == LogLevel.Information);
        Assert.Contains($"{DiscordHarness.WatchedChannel}/{(string)message["id"]!}", line.Message, StringComparison.Ordinal);
        Assert.Contains(ClassificationPipeline.Sha256(photo), line.Message, StringComparison.Ordinal);
        Assert.Contains(TinyModelFixture.Version, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServeHost_LoggingSection_SetsLevelsPerAreaAndTheJsonConsoleFormatter()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:SkateBot.Features.Retraining"] = "Debug",
            ["Logging:Console:FormatterName"] = "json",
            ["Observability:Url"] = "",
        }).Build();

        using var host = ServeCommand.Build(configuration, []);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("SkateBot.Features.Retraining.RetrainingService").IsEnabled(LogLevel.Debug));
        Assert.False(loggers.CreateLogger("SkateBot.Features.Discord.PhotoReplyHandler").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("SkateBot.Features.Discord.PhotoReplyHandler").IsEnabled(LogLevel.Warning));
        Assert.Equal(ConsoleFormatterNames.Json, host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}
