using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Discord;
using SkateBot.KeyedOptions;

namespace SkateBot.Features.Discord;

public static class DiscordServices
{
    /// <summary>
    /// The bot's Discord options (always bound and validated: the review queue reads its channel ids, and channels without a
    /// token are refused), and, when <c>Discord:Token</c> is set, the client (SkateBot.Discord's own
    /// <see cref="DiscordServiceCollectionExtensions.AddDiscordClient"/>) with the handlers and the gateway service.
    /// </summary>
    public static IServiceCollection AddDiscordBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKeyedOptions<DiscordOptions>(DiscordOptions.Section);
        services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordChannelsNeedToken>();
        if (!DiscordOptions.IsEnabled(configuration)) return services;

        services.AddDiscordClient();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return new ReactionVocabulary(o.RightEmoji, o.WrongEmoji);
        });
        services.AddSingleton<CorrectionHandler>();
        services.AddSingleton<ReactionCatchUp>();
        services.AddSingleton<PhotoCatchUp>();
        services.AddSingleton<PhotoRateLimit>();
        services.AddSingleton<PhotoReplyHandler>();
        services.AddSingleton<InteractionHandler>();
        services.AddSingleton<Retraining.IRetrainListener, OperatorChannelReporter>();
        services.AddHostedService<DiscordBotService>();
        return services;
    }
}
