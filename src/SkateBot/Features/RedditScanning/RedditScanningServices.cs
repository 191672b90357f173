using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Features.RedditScanning;
using SkateBot.Features.ReviewQueue;
using SkateBot.KeyedOptions;
using SkateBot.Reddit;

// In SkateBot.Features (like CoreServices) so FrontEnds needs no extra using.
namespace SkateBot.Features;

public static class RedditScanningServices
{
    /// <summary>
    /// Adds the subreddit scanner when <c>Reddit:ClientId</c> is set (nothing otherwise), with or without Discord: the
    /// review queue posts only when the Discord bot registered its REST client and <c>Discord:ReviewChannelId</c> is set.
    /// The client is SkateBot.Reddit's own registration (<see cref="RedditServiceCollectionExtensions.AddRedditClient"/>),
    /// which binds and validates the credentials; the scanner's keys are validated here. Needs AddSkateBotCore and AddDiscordBot.
    /// </summary>
    public static IServiceCollection AddRedditScanning(this IServiceCollection services, IConfiguration configuration)
    {
        if (!RedditScanningOptions.IsEnabled(configuration)) return services;
        services.AddRedditClient();
        services.AddKeyedOptions<RedditScanningOptions>(RedditScanningOptions.Section);
        services.AddSingleton<IValidateOptions<RedditScanningOptions>, CommentingNeedsUser>();
        services.AddReviewQueue();
        services.AddSingleton<ScanPosition>();
        services.AddSingleton<RedditCommenter>();
        services.AddSingleton<RedditPostProcessor>();
        services.AddSingleton<RedditScanner>();
        services.AddHostedService(sp => sp.GetRequiredService<RedditScanner>());
        return services;
    }
}
