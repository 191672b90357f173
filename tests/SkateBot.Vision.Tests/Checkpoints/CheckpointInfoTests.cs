using System.Text.Json;
using SkateBot.Vision.Checkpoints;
using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Tests.Checkpoints;

/// <summary>One rule for the temperature and unsure threshold a checkpoint's answers use (predict, eval, the service and
/// the gate read it here; eval and the classifier each had their own copy before).</summary>
public sealed class CheckpointInfoTests
{
    [Theory]
    [InlineData(1.7, 1.7)]
    [InlineData(0.0, 1.0)]
    [InlineData(-2.0, 1.0)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    public void EffectiveTemperature_IsTheStoredOneOnlyWhenUsable(double stored, double expected) =>
        Assert.Equal(expected, Info() with { Temperature = stored } is var i ? i.EffectiveTemperature : 0);

    [Fact]
    public void EffectiveUnsureBelow_DefaultsWhenAbsent()
    {
        Assert.Equal(Answering.DefaultUnsureBelow, Info().EffectiveUnsureBelow);
        Assert.Equal(0.75, (Info() with { UnsureBelow = 0.75 }).EffectiveUnsureBelow);
    }

    [Fact]
    public void EffectiveValues_AreNotWrittenIntoTheHeader()
    {
        var json = JsonSerializer.Serialize(Info() with { Temperature = 2 });
        Assert.DoesNotContain("Effective", json, StringComparison.Ordinal);
        Assert.Equal(2, JsonSerializer.Deserialize<CheckpointInfo>(json)!.EffectiveTemperature);
    }

    private static CheckpointInfo Info() => new() { Version = "v1", Classes = ["a", "b"], TrainingFingerprint = "f" };
}
