using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkateBot.KeyedOptions;

namespace SkateBot.Reddit;

/// <summary>The Reddit client's own registration (as eShop's RabbitMQ and Microsoft.Extensions.ML's pool register theirs).</summary>
public static class RedditServiceCollectionExtensions
{
    public const string HttpClientName = "reddit";

    /// <summary>
    /// Binds <see cref="RedditClientOptions"/> from <paramref name="section"/>, validated at start by
    /// <see cref="RedditClientOptions.GetValidationErrors"/> (so a generic User-Agent is refused naming <c>Reddit:UserAgent</c>),
    /// and registers one long-lived <see cref="RedditApiClient"/>: it keeps the token and the rate-limit state, so its
    /// connections are recycled by the handler instead of by the factory's handler rotation.
    /// </summary>
    public static OptionsBuilder<RedditClientOptions> AddRedditClient(this IServiceCollection services, string section = RedditClientOptions.SectionName)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<RedditClientOptions>, RedditClientOptionsValidator>();
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new RedditApiClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<RedditClientOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services.AddOptions<RedditClientOptions>().BindKeyed(section).ValidateOnStart();
    }

    private sealed class RedditClientOptionsValidator : IValidateOptions<RedditClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedditClientOptions options) =>
            options.GetValidationErrors() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
