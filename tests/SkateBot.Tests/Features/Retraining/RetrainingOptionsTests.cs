using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Features;
using SkateBot.Features.Retraining;

namespace SkateBot.Tests.Features.Retraining;

public sealed class RetrainingOptionsTests
{
    /// <summary>Bound and validated as serve and every command bind it (<see cref="CoreServices.AddSkateBotCore"/>).</summary>
    private static RetrainingOptions Bind(string trustAfter)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retraining:TrustAfter"] = trustAfter }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSkateBotCore().BuildServiceProvider();
        return services.GetRequiredService<IOptions<RetrainingOptions>>().Value;
    }

    [Fact]
    public void TrustAfter_Unset_ThreeDays() =>
        Assert.Equal(TimeSpan.FromDays(3), new RetrainingOptions().TrustAfter);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:59:59")]
    [InlineData("366.00:00:00")]
    public void TrustAfter_OutOfRange_RefusedNamingTheKey(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(value));
        Assert.Contains("Retraining:TrustAfter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustAfter_InRange_Bound() => Assert.Equal(TimeSpan.FromHours(12), Bind("12:00:00").TrustAfter);

    [Fact]
    public void StartFrom_Unknown_RefusedNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retraining:StartFrom"] = "scratch" }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSkateBotCore().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RetrainingOptions>>().Value);
        Assert.Contains("Retraining:StartFrom must be champion or imagenet", error.Message, StringComparison.Ordinal);
    }
}
