using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Rest;
using SkateBot.Features.Discord;
using SkateBot.Storage;

namespace SkateBot.Features.ReviewQueue;

public static class ReviewQueueServices
{
    /// <summary>Adds <see cref="ReviewPublisher"/>, which reads the channel keys of <see cref="DiscordOptions"/> (registered by
    /// AddDiscordBot, with or without a token). The Discord REST client is optional: it exists only when the Discord bot is
    /// configured, and without it the queue posts nothing (uncertain predictions are just recorded).</summary>
    public static IServiceCollection AddReviewQueue(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<DiscordOptions>>();
            return new ReviewPublisher(
                sp.GetRequiredService<SkateDatabase>(),
                sp.GetService<DiscordRestClient>(),
                sp.GetService<ReactionVocabulary>() ?? new ReactionVocabulary(settings.Value.RightEmoji, settings.Value.WrongEmoji),
                settings,
                sp.GetRequiredService<ILogger<ReviewPublisher>>(),
                sp.GetService<CorrectionHandler>(),
                sp.GetService<TimeProvider>());
        });
        return services;
    }
}
