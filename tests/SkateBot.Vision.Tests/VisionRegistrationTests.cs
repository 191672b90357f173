using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Imaging;
using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Tests;

/// <summary>AddVision: the library binds its own sections (Model, Images), validates them at start, and builds what they configure.</summary>
public sealed class VisionRegistrationTests
{
    [Fact]
    public async Task AddVision_Configured_ResolvesDeviceLoaderAndOneHostFromTheSections()
    {
        await using var services = Provider(new()
        {
            ["Model:Device"] = "cpu", ["Model:MaxBatchSize"] = "7", ["Images:MaxPixels"] = "1000", ["Images:MaxBytes"] = "2000",
        });

        Assert.Equal(7, services.GetRequiredService<IOptions<ModelOptions>>().Value.MaxBatchSize);
        Assert.False(services.GetRequiredService<ComputeDevice>().IsCuda);
        Assert.Equal(new ImageLimits(1000, 2000), services.GetRequiredService<ImageLoader>().Limits);
        Assert.Same(services.GetRequiredService<ModelHost>(), services.GetRequiredService<ModelHost>());
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Model:MaxBatchDelay", "00:00:05")]
    [InlineData("Model:MaxBatchDelay", "soon")]
    [InlineData("Model:Device", "tpu")]
    [InlineData("Model:MaxBatchSize", "0")]
    [InlineData("Images:MaxBytes", "0")]
    public async Task AddVision_BadValue_FailsAtStartNamingTheKey(string key, string value)
    {
        await using var services = Provider(new() { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddVision()
            .BuildServiceProvider();
}
