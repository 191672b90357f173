using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SkateBot.Storage.Internal;

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
        services.AddSingleton<IValidateOptions<StorageOptions>>(new OptionsSectionValidator<StorageOptions>(section));
        services.TryAddSingleton(sp => SkateDatabase.Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value.FullDataDirectory,
            sp.GetRequiredService<TimeProvider>()));
        return services.AddOptions<StorageOptions>().Configure<IConfiguration>((options, configuration) => Bind(configuration, section, options))
            .ValidateOnStart();
    }

    /// <summary>A value that does not convert is an <see cref="OptionsValidationException"/> naming the key, like every other
    /// bad value (the binder itself throws InvalidOperationException).</summary>
    private static void Bind(IConfiguration configuration, string section, StorageOptions options)
    {
        try { configuration.GetSection(section).Bind(options); }
        catch (InvalidOperationException ex) { throw new OptionsValidationException(section, typeof(StorageOptions), [ex.Message]); }
    }
}
