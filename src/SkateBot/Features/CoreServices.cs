using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SkateBot.Configuration;
using SkateBot.Features.Classification;
using SkateBot.Features.Downloads;
using SkateBot.Features.Models;
using SkateBot.Features.Retraining;
using SkateBot.KeyedOptions;
using SkateBot.Storage;
using SkateBot.Vision;

namespace SkateBot.Features;

/// <summary>Storage, the model, classification, downloads and retraining: what every front end (Discord, Reddit) stands on.
/// Storage and Vision register themselves (<see cref="StorageServiceCollectionExtensions.AddSkateStorage"/>,
/// <see cref="VisionServiceCollectionExtensions.AddVision"/>, each binding and validating its own sections); the rest is
/// what the bot builds on them. Its own sections are registered the same way (<c>AddKeyedOptions</c>, SkateBot.KeyedOptions:
/// bound, validated at start, each failure naming its key); <c>config check</c> runs exactly these validators (see
/// <see cref="ConfigurationCheck"/>).</summary>
public static class CoreServices
{
    public static IServiceCollection AddSkateBotCore(this IServiceCollection services)
    {
        services.AddSkateStorage();
        services.AddVision();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ExitCode>();
        services.AddKeyedOptions<TrainingOptions>(TrainingOptions.Section);
        services.AddKeyedOptions<RetrainingOptions>(RetrainingOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Schedule) || IsCron(o.Schedule), "Retraining:Schedule is not a valid 5-field cron expression.");
        services.AddKeyedOptions<DownloadOptions>(DownloadOptions.Section);

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

    private static bool IsCron(string expression)
    {
        try { Cronos.CronExpression.Parse(expression); return true; }
        catch (Cronos.CronFormatException) { return false; }
    }
}
