using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Rest;
using SkateBot.KeyedOptions;

namespace SkateBot.Discord;

/// <summary>The Discord client's own registration (as eShop's RabbitMQ and Microsoft.Extensions.ML's pool register theirs).</summary>
public static class DiscordServiceCollectionExtensions
{
    public const string HttpClientName = "discord";

    /// <summary>
    /// Binds <see cref="DiscordClientOptions"/> from <paramref name="section"/> (validated at start, each problem naming its
    /// key) and registers one <see cref="DiscordRestClient"/> and one <see cref="DiscordGatewayClient"/> on it. Call it only
    /// when the bot is meant to run: the token is required.
    /// </summary>
    public static OptionsBuilder<DiscordClientOptions> AddDiscordClient(this IServiceCollection services, string section = DiscordClientOptions.Section)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName);
        services.TryAddSingleton(sp => new DiscordRestClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<DiscordClientOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.TryAddSingleton(sp => new DiscordGatewayClient(sp.GetRequiredService<DiscordRestClient>(),
            sp.GetRequiredService<IOptions<DiscordClientOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordGatewayClient>>()));
        return services.AddKeyedOptions<DiscordClientOptions>(section);
    }
}
