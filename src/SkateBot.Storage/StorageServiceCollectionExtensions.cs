using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SkateBot.KeyedOptions;

namespace SkateBot.Storage;

/// <summary>Storage's own registration (as SkateBot.Discord's <c>AddDiscordClient</c> registers the client).</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from <paramref name="section"/> (validated at start, each problem naming its key)
    /// and registers one <see cref="SkateDatabase"/> in its data directory, opened on first use and stamped with the
    /// registered <see cref="TimeProvider"/> (the system clock unless one is registered).
    /// </summary>
    /// <returns>The options builder, for further validation.</returns>
    public static OptionsBuilder<StorageOptions> AddSkateStorage(this IServiceCollection services, string section = StorageOptions.Section)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => SkateDatabase.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value.FullDataDirectory,
            sp.GetRequiredService<TimeProvider>()));
        return services.AddKeyedOptions<StorageOptions>(section);
    }
}
