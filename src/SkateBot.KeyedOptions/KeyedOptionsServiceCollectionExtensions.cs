using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SkateBot.KeyedOptions;

/// <summary>
/// The one way SkateBot's libraries and the executable register an options section: bound from <see cref="IConfiguration"/>,
/// validated at start, each problem naming its key. (Keyed by configuration key, not a keyed DI service.)
/// </summary>
public static class KeyedOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> (<see cref="BindKeyed{T}"/>), validates it with a
    /// <see cref="KeyedOptionsValidator{T}"/> for that section, and validates it at start.
    /// </summary>
    /// <returns>The options builder, for further validation.</returns>
    public static OptionsBuilder<T> AddKeyedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new KeyedOptionsValidator<T>(section));
        return services.AddOptions<T>().BindKeyed(section).ValidateOnStart();
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> of the registered <see cref="IConfiguration"/>, like
    /// BindConfiguration, but a value that does not convert ("soon" for a TimeSpan) is an <see cref="OptionsValidationException"/>
    /// naming the section, like every other bad value, instead of the binder's InvalidOperationException (which callers could
    /// only catch together with real bugs). For a section with a validator of its own.
    /// </summary>
    public static OptionsBuilder<T> BindKeyed<T>(this OptionsBuilder<T> builder, string section) where T : class =>
        builder.Configure<IConfiguration>((options, configuration) => Bind(configuration, section, options));

    private static void Bind<T>(IConfiguration configuration, string section, T options) where T : class
    {
        try { configuration.GetSection(section).Bind(options); }
        catch (InvalidOperationException ex) { throw new OptionsValidationException(section, typeof(T), [ex.Message]); }
    }
}
