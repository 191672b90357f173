using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features.Observability;
using SkateBot.KeyedOptions;

// In SkateBot.Features (like CoreServices) so ServeCommand needs no extra using.
namespace SkateBot.Features;

public static class ObservabilityServices
{
    /// <summary>The metrics every feature counts into, and, unless <c>Observability:Url</c> is empty, the server for
    /// <c>/healthz</c> and <c>/metrics</c>. Call it before the other features so the server starts first.</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKeyedOptions<ObservabilityOptions>(ObservabilityOptions.Section);
        services.AddSingleton<SkateBotMetrics>();
        services.AddHttpClient(SkateBot.Discord.DiscordServiceCollectionExtensions.HttpClientName)
            .AddHttpMessageHandler(sp => new ApiRequestMetrics(sp.GetRequiredService<SkateBotMetrics>(), "discord"));
        services.AddHttpClient(SkateBot.Reddit.RedditServiceCollectionExtensions.HttpClientName)
            .AddHttpMessageHandler(sp => new ApiRequestMetrics(sp.GetRequiredService<SkateBotMetrics>(), "reddit"));
        if (string.IsNullOrWhiteSpace(ObservabilityOptions.EffectiveUrl(configuration))) return services;
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<ObservabilityServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ObservabilityServer>());
        return services;
    }
}
