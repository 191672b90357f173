using Microsoft.Extensions.Options;
using SkateBot.Features.Retraining;
using SkateBot.Tests.Configuration;

namespace SkateBot.Tests.Features.Retraining;

public sealed class RetrainingOptionsTests
{
    private static RetrainingOptions Bind(string trustAfter) => BoundOptions.Bind<RetrainingOptions>("Retraining:TrustAfter", trustAfter);

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
        var error = Assert.Throws<OptionsValidationException>(() => BoundOptions.Bind<RetrainingOptions>("Retraining:StartFrom", "scratch"));
        Assert.Contains("Retraining:StartFrom must be champion or imagenet", error.Message, StringComparison.Ordinal);
    }
}
