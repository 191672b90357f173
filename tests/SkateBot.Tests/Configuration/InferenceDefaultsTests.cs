using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkateBot.Features;
using SkateBot.Vision.Inference;

namespace SkateBot.Tests.Configuration;

/// <summary>What the serving model's engine options become when the service builds its <see cref="ModelHost"/>.</summary>
[Collection(InferenceDefaultsCollection.Name)]
public sealed class InferenceDefaultsTests
{
    private static async Task<InferenceOptions> ServingOptions(Dictionary<string, string?> settings, InferenceOptions before)
    {
        var saved = InferenceOptions.Default;
        InferenceOptions.Default = before;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSkateBotCore()
                .BuildServiceProvider();
            _ = services.GetRequiredService<ModelHost>();
            return InferenceOptions.Default;
        }
        finally
        {
            InferenceOptions.Default = saved;
        }
    }

    [Fact]
    public async Task ModelHost_KeepsTheOrtProviderFromTheEnvironment()
    {
        // SKATEBOT_ORT_PROVIDER=cuda (bench/gpu-check.sh) must not fall back to the CPU quietly once the service starts.
        var options = await ServingOptions(new() { ["Model:Engine"] = "onnx" }, new InferenceOptions(Provider: OrtProvider.Cuda));

        Assert.Equal(OrtProvider.Cuda, options.Provider);
        Assert.Equal(InferenceEngine.Onnx, options.Engine);
    }

    [Fact]
    public async Task OnnxRuntime_GetsEveryCore_UnlessInferenceThreadsIsSet()
    {
        var byDefault = await ServingOptions(new(), new InferenceOptions());
        var set = await ServingOptions(new() { ["Model:InferenceThreads"] = "3" }, new InferenceOptions());

        Assert.Equal(Environment.ProcessorCount, byDefault.Threads);
        Assert.Equal(3, set.Threads);
        Assert.Equal(InferencePrecision.Int8, byDefault.Precision);
    }

    [Fact]
    public async Task Precision_FloatOrInt8()
    {
        var set = await ServingOptions(new() { ["Model:Precision"] = "float" }, new InferenceOptions(Precision: InferencePrecision.Int8));

        Assert.Equal(InferencePrecision.Float, set.Precision);
        Assert.Throws<ArgumentException>(() => InferenceOptions.ParsePrecision("fp16"));
    }
}

/// <summary>Tests that change the process-wide <see cref="InferenceOptions.Default"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InferenceDefaultsCollection
{
    public const string Name = "InferenceOptions.Default";
}
