using System.Globalization;
using System.Text.Json.Nodes;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Gateway;
using SkateBot.Features.RedditScanning;
using SkateBot.Storage;
using SkateBot.Vision.Inference;

namespace SkateBot.Features.Observability;

/// <summary>
/// Looks at each part <c>serve</c> runs: the model (loaded, which version), the database (a real write, so a full disk
/// or a read-only file shows), and, only when they are configured, the Discord gateway (connected) and the Reddit scanner
/// (age of the last poll that went through).
/// </summary>
public sealed class HealthProbe(IServiceProvider services, ModelHost model, SkateDatabase db, TimeProvider time)
{
    public const string ProbeCursor = "health:probe";

    public HealthReport Check()
    {
        List<HealthPart> parts = [Model(), Database()];
        if (services.GetService<DiscordGatewayClient>() is { } gateway) parts.Add(Discord(gateway));
        if (services.GetService<RedditScanner>() is { } scanner) parts.Add(Reddit(scanner, services.GetRequiredService<IOptions<RedditScanningOptions>>().Value));
        return new HealthReport(parts);
    }

    private HealthPart Model() => model.CurrentVersion is { } version
        ? new HealthPart("model", true, $"serving {version}", new JsonObject { ["loaded"] = true, ["version"] = version })
        : new HealthPart("model", false, "no model loaded (training the first one, or none promoted yet)", new JsonObject { ["loaded"] = false });

    private HealthPart Database()
    {
        try
        {
            db.Cursors.Set(ProbeCursor, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            return new HealthPart("database", true, "writable", new JsonObject { ["writable"] = true, ["path"] = db.FilePath });
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
        {
            return new HealthPart("database", false, $"not writable: {ex.Message}", new JsonObject { ["writable"] = false, ["path"] = db.FilePath });
        }
    }

    private static HealthPart Discord(DiscordGatewayClient gateway) => gateway.IsConnected
        ? new HealthPart("discord", true, "gateway connected", new JsonObject { ["connected"] = true })
        : new HealthPart("discord", false, "gateway not connected (connecting, or reconnecting after a drop)", new JsonObject { ["connected"] = false });

    /// <summary>A poll is late after three intervals plus a minute (the client may be waiting out Reddit's rate limit).</summary>
    public static TimeSpan StaleAfter(TimeSpan pollInterval) => pollInterval * 3 + TimeSpan.FromMinutes(1);

    private HealthPart Reddit(RedditScanner scanner, RedditScanningOptions options)
    {
        if (scanner.LastPolled is not { } last)
            return new HealthPart("reddit", false, "no poll has gone through yet", new JsonObject { ["lastPollAgeSeconds"] = null });
        var age = time.GetUtcNow() - last;
        var facts = new JsonObject { ["lastPollAgeSeconds"] = Math.Round(age.TotalSeconds, 1) };
        return age <= StaleAfter(options.PollInterval)
            ? new HealthPart("reddit", true, $"last poll {age.TotalSeconds:0} s ago", facts)
            : new HealthPart("reddit", false, $"last poll {age.TotalSeconds:0} s ago (more than {StaleAfter(options.PollInterval).TotalSeconds:0} s)", facts);
    }
}
