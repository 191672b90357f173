using SkateBot.Vision.Calibration;

namespace SkateBot.Vision.Tests.Calibration;

public sealed class TemperatureTests
{
    /// <summary>An over-confident toy model: logits three times too large, right 80% of the time.</summary>
    private static (List<double[]> Logits, List<int> Labels) OverconfidentToySet(int seed, int n = 400)
    {
        var rng = new Random(seed);
        var logits = new List<double[]>();
        var labels = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var label = rng.Next(2);
            var right = rng.NextDouble() < 0.8;
            var predicted = right ? label : 1 - label;
            var margin = 3 * (0.5 + rng.NextDouble() * 2); // calibrated logit margins would be ~1.4 for 80%
            var l = new double[2];
            l[predicted] = margin;
            logits.Add(l);
            labels.Add(label);
        }
        return (logits, labels);
    }

    [Fact]
    public void Fit_OverconfidentToySet_LowersValidationNll()
    {
        var (logits, labels) = OverconfidentToySet(7);
        var t = Temperature.Fit(logits, labels);
        Assert.True(t > 1.5, $"an over-confident model needs T > 1, got {t:0.00}");
        Assert.True(Temperature.Nll(logits, labels, t) < Temperature.Nll(logits, labels, 1) - 0.05);
        // It also generalises: a second draw of the same toy model gets a lower NLL at the fitted T.
        var (test, testLabels) = OverconfidentToySet(8);
        Assert.True(Temperature.Nll(test, testLabels, t) < Temperature.Nll(test, testLabels, 1));
        Assert.True(Temperature.ExpectedCalibrationError(test.Select(l => Temperature.Softmax(l, t)).ToList(), testLabels)
            < Temperature.ExpectedCalibrationError(test.Select(l => Temperature.Softmax(l)).ToList(), testLabels));
    }

    [Fact]
    public void Fit_NoValidationMistake_KeepsOne()
    {
        // Failed before: a validation set classified without a mistake drove T to its lower bound (0.05), turning every
        // answer of the model into a near-certainty.
        Assert.Equal(1, Temperature.Fit([[2.0, 0.0], [0.0, 1.5], [0.5, 0.0]], [0, 1, 0]));
    }

    [Fact]
    public void Fit_TooFewItems_KeepsOne() => Assert.Equal(1, Temperature.Fit([[1.0, 0.0]], [0]));

    [Fact]
    public void Softmax_SumsToOneAndKeepsTheOrder()
    {
        var p = Temperature.Softmax([2.0, 1.0, -1.0], 2);
        Assert.Equal(1, p.Sum(), 9);
        Assert.True(p[0] > p[1] && p[1] > p[2]);
    }

    [Fact]
    public void ExpectedCalibrationError_PerfectlyCalibrated_IsZero()
    {
        // Confidence 1 and always right.
        Assert.Equal(0, Temperature.ExpectedCalibrationError([[1.0, 0.0], [0.0, 1.0]], [0, 1]), 9);
    }
}
