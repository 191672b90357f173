using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SkateBot.Features;

/// <summary>Discord and Reddit, each added only when configured.</summary>
public static class FrontEnds
{
    public static IServiceCollection AddSkateBotFrontEnds(this IServiceCollection services, IConfiguration configuration) => services.AddRedditScanning(configuration);
}
