using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SkateBot.Configuration;
using SkateBot.Features.Classification;
using SkateBot.Features.Downloads;
using SkateBot.Features.Models;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision;

namespace SkateBot.Features;

/// <summary>Storage, the model, classification, downloads and retraining: what every front end (Discord, Reddit) stands on.
/// Storage and Vision register themselves (<see cref="StorageServiceCollectionExtensions.AddSkateStorage"/>,
/// <see cref="VisionServiceCollectionExtensions.AddVision"/>, each binding and validating its own sections); the rest is
/// what the bot builds on them.</summary>
public static class CoreServices
{
    public static IServiceCollection AddSkateBotCore(this IServiceCollection services)
    {
        services.AddSkateStorage();
        services.AddVision();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ExitCode>();
        services.AddValidatedOptions<TrainingOptions>(TrainingOptions.Section);
        services.AddValidatedOptions<RetrainingOptions>(RetrainingOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Schedule) || IsCron(o.Schedule), "Retraining:Schedule is not a valid 5-field cron expression.");
        services.AddValidatedOptions<DownloadOptions>(DownloadOptions.Section);

        services.AddSingleton(sp => new ModelCatalog(sp.GetRequiredService<SkateDatabase>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<ClassificationPipeline>();
        services.AddSingleton<ServingModel>();
        services.AddHostedService(sp => sp.GetRequiredService<ServingModel>());
        services.AddSingleton<IChallengerTrainer, FineTuningTrainer>();
        services.AddSingleton<IModelEvaluator, CheckpointEvaluator>();
        services.AddSingleton<RetrainingService>();
        services.AddHostedService<RetrainingScheduler>();
        services.AddHttpClient<ImageDownloader>()
            .ConfigurePrimaryHttpMessageHandler(sp => DownloadHandler.Create(sp.GetRequiredService<IOptions<DownloadOptions>>().Value));
        return services;
    }

    /// <summary>Binds <paramref name="section"/> and validates it at start (DataAnnotations and IValidatableObject, each
    /// failure naming its key); <c>config check</c> runs exactly these validators (see <see cref="ConfigurationCheck"/>).</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new KeyedDataAnnotationsValidator<T>(section));
        return services.AddOptions<T>().Configure<IConfiguration>((options, configuration) => Bind(configuration, section, options)).ValidateOnStart();
    }

    /// <summary>Binds like BindConfiguration, but a value that does not convert ("soon" for a TimeSpan) is an
    /// <see cref="OptionsValidationException"/> naming the key, like every other bad value, instead of the binder's
    /// InvalidOperationException (which callers could only catch together with real bugs).</summary>
    private static void Bind<T>(IConfiguration configuration, string section, T options) where T : class
    {
        try { configuration.GetSection(section).Bind(options); }
        catch (InvalidOperationException ex) { throw new OptionsValidationException(section, typeof(T), [ex.Message]); }
    }

    private static bool IsCron(string expression)
    {
        try { Cronos.CronExpression.Parse(expression); return true; }
        catch (Cronos.CronFormatException) { return false; }
    }
}
