using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.KeyedOptions;

namespace SkateBot.Tests.Configuration;

/// <summary>SkateBot.KeyedOptions: the one rule by which every section's validation and bind failures name the key.</summary>
public sealed class KeyedOptionsValidatorTests
{
    [Fact]
    public void Validate_AttributeFailure_NamesSectionAndMember()
    {
        var result = new KeyedOptionsValidator<Sample>("Model").Validate(null, new Sample { MaxBatchSize = 0 });

        Assert.True(result.Failed);
        Assert.Equal(["Model:MaxBatchSize: The field MaxBatchSize must be between 1 and 256."], result.Failures);
    }

    [Fact]
    public void Validate_ValidatableObjectResults_NoMemberNamesTheSectionOnly_SeveralMembersJoined_KeyedKept_RepeatsOnce()
    {
        var options = new Sample
        {
            Results =
            [
                new ValidationResult("needs a or b."),
                new ValidationResult("needs a or b."),
                new ValidationResult("are both set.", ["A", "B"]),
                new ValidationResult("Model:Engine is not an engine."),
                new ValidationResult(null),
            ],
        };

        var problems = KeyedOptionsValidator<Sample>.Problems(options, "Model");

        Assert.Equal(["Model: needs a or b.", "Model:A,B: are both set.", "Model:Engine is not an engine.", "Model: is invalid."], problems);
    }

    [Fact]
    public void Problems_ValidOptions_None() => Assert.Empty(KeyedOptionsValidator<Sample>.Problems(new Sample(), "Model"));

    [Fact]
    public void AddKeyedOptions_BadValue_FailsAtStartNamingTheKey()
    {
        using var services = Provider(new() { ["Model:MaxBatchSize"] = "300" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["Model:MaxBatchSize: The field MaxBatchSize must be between 1 and 256."], ex.Failures);
    }

    [Fact]
    public void AddKeyedOptions_ValueThatDoesNotConvert_IsAnOptionsValidationExceptionNamingTheSectionAndKey()
    {
        using var services = Provider(new() { ["Model:MaxBatchSize"] = "lots" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Sample>>().Value);

        Assert.Equal("Model", ex.OptionsName);
        Assert.Equal(typeof(Sample), ex.OptionsType);
        var failure = Assert.Single(ex.Failures);
        Assert.Contains("'lots' at 'Model:MaxBatchSize'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKeyedOptions_Configured_BindsTheSection()
    {
        using var services = Provider(new() { ["Model:MaxBatchSize"] = "7" });

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(7, services.GetRequiredService<IOptions<Sample>>().Value.MaxBatchSize);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddKeyedOptions<Sample>("Model");
        return services.BuildServiceProvider();
    }

    public sealed class Sample : IValidatableObject
    {
        [Range(1, 256)]
        public int MaxBatchSize { get; set; } = 16;

        internal ValidationResult[] Results { get; init; } = [];

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Results;
    }
}
