using Microsoft.Extensions.Options;
using SkateBot.Features.Discord;
using SkateBot.Features.Downloads;
using SkateBot.Features.Observability;
using SkateBot.Features.RedditScanning;
using SkateBot.Features.Retraining;
using SkateBot.Storage;
using SkateBot.Vision;

namespace SkateBot.Configuration;

/// <summary>One options class bound from one configuration section.</summary>
public sealed record OptionsSection(string Name, Type Type, Func<object> Defaults, Func<IServiceProvider, IEnumerable<string>> Problems);

/// <summary>Every options class the executable binds, for <c>config check</c>: what to list, and what to validate.</summary>
public static class OptionsCatalog
{
    /// <summary>The sections whose keys <c>config check</c> prints and validates, in README order. A section two classes share
    /// (the client's and the bot's halves of <c>Discord</c> and <c>Reddit</c>) has one entry per class, each key bound by one.</summary>
    public static IReadOnlyList<OptionsSection> Listed { get; } =
    [
        Entry<StorageOptions>(StorageOptions.Section),
        Entry<ModelOptions>(ModelOptions.Section),
        Entry<ImagesOptions>(ImagesOptions.Section),
        Entry<TrainingOptions>(TrainingOptions.Section),
        Entry<RetrainingOptions>(RetrainingOptions.Section),
        Entry<DownloadOptions>(DownloadOptions.Section),
        Entry<SkateBot.Discord.DiscordClientOptions>(SkateBot.Discord.DiscordClientOptions.Section),
        Entry<DiscordOptions>(DiscordOptions.Section),
        Entry<SkateBot.Reddit.RedditClientOptions>(SkateBot.Reddit.RedditClientOptions.SectionName),
        Entry<RedditScanningOptions>(RedditScanningOptions.Section),
        Entry<ObservabilityOptions>(ObservabilityOptions.Section),
    ];

    private static OptionsSection Entry<T>(string section) where T : class, new() => new(section, typeof(T), () => new T(), sp => Problems<T>(sp));

    /// <summary>Creates the options the way <c>serve</c> does (its binding, its validators); a section <c>serve</c> does not
    /// register (Reddit without a client id) gets no validators here either, so the two cannot disagree.</summary>
    private static IEnumerable<string> Problems<T>(IServiceProvider services) where T : class
    {
        try
        {
            services.GetRequiredService<IOptionsFactory<T>>().Create(Options.DefaultName);
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message]; // the binder: "Failed to convert configuration value at 'Model:MaxBatchDelay' to type 'System.TimeSpan'."
        }
    }

    private static T GetRequiredService<T>(this IServiceProvider services) where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered."));
}
