using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SkateBot.KeyedOptions;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Vision;

/// <summary>Vision's own registration (as SkateBot.Discord's <c>AddDiscordClient</c> registers the client).</summary>
public static class VisionServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ModelOptions"/> (<c>Model</c>) and <see cref="ImagesOptions"/> (<c>Images</c>), each validated at
    /// start with problems naming their keys, and registers what they configure: the <see cref="ComputeDevice"/> resolved
    /// once from <c>Model:Device</c>, the <see cref="ImageLoader"/> with the <c>Images</c> limits, and the one
    /// <see cref="ModelHost"/> that serves the current model (its engine and threads from <c>Model</c>).
    /// </summary>
    public static IServiceCollection AddVision(this IServiceCollection services)
    {
        services.AddKeyedOptions<ModelOptions>(ModelOptions.Section);
        services.AddKeyedOptions<ImagesOptions>(ImagesOptions.Section);
        services.TryAddSingleton(sp => ComputeDevice.Resolve(sp.GetRequiredService<IOptions<ModelOptions>>().Value.Device));
        services.TryAddSingleton(sp =>
        {
            var images = sp.GetRequiredService<IOptions<ImagesOptions>>().Value;
            return new ImageLoader(new ImageLimits(images.MaxPixels, images.MaxBytes));
        });
        services.TryAddSingleton(sp =>
        {
            var model = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
            // "with": the ORT provider chosen by SKATEBOT_ORT_PROVIDER (bench/gpu-check.sh: cuda, no quiet CPU fallback) stays.
            InferenceOptions.Default = model.Serving(InferenceOptions.Default);
            return new ModelHost(new ModelHostOptions(model.MaxBatchSize, model.MaxBatchDelay, model.EffectiveInferenceThreads));
        });
        return services;
    }
}
