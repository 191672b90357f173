using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features.Discord;

namespace SkateBot.Features;

/// <summary>Discord and Reddit, each added only when configured (Discord first: the review queue posts through it).</summary>
public static class FrontEnds
{
    public static IServiceCollection AddSkateBotFrontEnds(this IServiceCollection services, IConfiguration configuration) =>
        services.AddDiscordBot(configuration).AddRedditScanning(configuration);
}
