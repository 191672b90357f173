using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;
using SkateBot.Features.Retraining;

namespace SkateBot.Tests.Features.Retraining;

public sealed class RetrainingOptionsTests
{
    private static RetrainingOptions Bind(string trustAfter) => OptionsBinding.Bind<RetrainingOptions>(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retraining:TrustAfter"] = trustAfter }).Build(),
        RetrainingOptions.Section);

    [Fact]
    public void TrustAfter_Unset_ThreeDays() =>
        Assert.Equal(TimeSpan.FromDays(3), new RetrainingOptions().TrustAfter);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:59:59")]
    [InlineData("366.00:00:00")]
    public void TrustAfter_OutOfRange_RefusedNamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(value));
        Assert.Contains("Retraining:TrustAfter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustAfter_InRange_Bound() => Assert.Equal(TimeSpan.FromHours(12), Bind("12:00:00").TrustAfter);
}
