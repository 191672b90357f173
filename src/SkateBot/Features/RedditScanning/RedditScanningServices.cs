using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Features.RedditScanning;
using SkateBot.Features.ReviewQueue;
using SkateBot.Reddit;

// In SkateBot.Features (like CoreServices) so FrontEnds needs no extra using.
namespace SkateBot.Features;

public static class RedditScanningServices
{
    public const string HttpClientName = "reddit";

    /// <summary>
    /// Adds the subreddit scanner when <c>Reddit:ClientId</c> is set (nothing otherwise), with or without Discord: the
    /// review queue posts only when the Discord bot registered its REST client and <c>Discord:ReviewChannelId</c> is set.
    /// Settings are validated at start (a generic <c>Reddit:UserAgent</c> is refused there). Needs AddSkateBotCore.
    /// </summary>
    public static IServiceCollection AddRedditScanning(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{RedditScanningOptions.Section}:{nameof(RedditScanningOptions.ClientId)}"]))
            return services;
        services.AddValidatedOptions<RedditScanningOptions>(RedditScanningOptions.Section);
        services.AddReviewQueue();
        // One long-lived client (the Reddit client keeps the token and rate-limit state), so connections are recycled by
        // the handler instead of by the factory's handler rotation.
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new RedditApiClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<RedditScanningOptions>>().Value.ToClientOptions(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ScanPosition>();
        services.AddSingleton<RedditCommenter>();
        services.AddSingleton<RedditPostProcessor>();
        services.AddSingleton<RedditScanner>();
        services.AddHostedService(sp => sp.GetRequiredService<RedditScanner>());
        return services;
    }
}
