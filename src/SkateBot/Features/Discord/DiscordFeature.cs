using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Rest;

namespace SkateBot.Features.Discord;

public static class DiscordFeature
{
    public const string HttpClientName = "discord";

    /// <summary>The Discord bot, when <c>Discord:Token</c> is set; nothing otherwise.</summary>
    public static IServiceCollection AddDiscordBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DiscordOptions>(DiscordOptions.Section);
        var settings = configuration.GetSection(DiscordOptions.Section).Get<DiscordOptions>() ?? new DiscordOptions();
        if (!settings.Enabled) return services;

        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return new DiscordClientOptions { Token = o.Token, ApiBaseUrl = o.ApiBaseUrl, Intents = o.Intents, ShardId = o.ShardId, ShardCount = o.ShardCount };
        });
        services.AddHttpClient(HttpClientName);
        services.AddSingleton(sp => new DiscordRestClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<DiscordClientOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.AddSingleton(sp => new DiscordGatewayClient(sp.GetRequiredService<DiscordRestClient>(), sp.GetRequiredService<DiscordClientOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DiscordGatewayClient>>()));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return new ReactionVocabulary(o.RightEmoji, o.WrongEmoji);
        });
        services.AddSingleton<CorrectionHandler>();
        services.AddSingleton<PhotoReplyHandler>();
        services.AddSingleton<InteractionHandler>();
        services.AddSingleton<Retraining.IRetrainListener, OperatorChannelReporter>();
        services.AddHostedService<DiscordBotService>();
        return services;
    }
}
