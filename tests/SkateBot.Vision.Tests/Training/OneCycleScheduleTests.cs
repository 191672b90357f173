using SkateBot.Vision.Training;

namespace SkateBot.Vision.Tests.Training;

public sealed class OneCycleScheduleTests
{
    [Fact]
    public void LearningRateFactor_OverTheCycle_WarmsUpThenAnneals()
    {
        var s = new OneCycleSchedule(100, pctStart: 0.3, div: 25, divFinal: 1e5);
        Assert.Equal(1.0 / 25, s.LearningRateFactor(0), 6);
        Assert.Equal(1.0, s.LearningRateFactor(29), 6);
        Assert.Equal(1e-5, s.LearningRateFactor(99), 6);
        Assert.True(s.LearningRateFactor(10) < s.LearningRateFactor(20));
        Assert.True(s.LearningRateFactor(60) > s.LearningRateFactor(80));
    }

    [Fact]
    public void Momentum_OverTheCycle_MovesOppositeToLearningRate()
    {
        var s = new OneCycleSchedule(50, pctStart: 0.5);
        Assert.Equal(OneCycleSchedule.MomentumHigh, s.Momentum(0), 6);
        Assert.Equal(OneCycleSchedule.MomentumLow, s.Momentum(24), 6);
        Assert.Equal(OneCycleSchedule.MomentumHigh, s.Momentum(49), 6);
    }

    [Fact]
    public void Spread_ThreeGroups_IsGeometricLikeFastAiSlice()
    {
        var lrs = OneCycleSchedule.Spread(1e-5, 1e-3, 3);
        Assert.Equal([1e-5, 1e-4, 1e-3], lrs.Select(v => Math.Round(v, 10)).ToArray());
    }

    [Fact]
    public void ClassWeights_ImbalancedClasses_UpweightTheRareClass()
    {
        var weights = TensorBatches.ClassWeights([(0, 1), (0, 1), (0, 1), (1, 1)], 2);
        Assert.Equal(4.0 / (2 * 3), weights[0], 6);
        Assert.Equal(4.0 / (2 * 1), weights[1], 6);
    }
}
