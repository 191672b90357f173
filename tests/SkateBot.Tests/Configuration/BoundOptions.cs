using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Features;

namespace SkateBot.Tests.Configuration;

/// <summary>An options section bound and validated as <c>serve</c> and every command bind it (<see cref="CoreServices.AddSkateBotCore"/>).</summary>
internal static class BoundOptions
{
    public static T Bind<T>(IConfiguration configuration) where T : class
    {
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSkateBotCore().BuildServiceProvider();
        return services.GetRequiredService<IOptions<T>>().Value;
    }

    public static T Bind<T>(string key, string value) where T : class =>
        Bind<T>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
}
