using SkateBot.Vision.Inference;

namespace SkateBot.Vision.Tests.Inference;

/// <summary>
/// The first-view rule: a several-view photo whose first view is sure is answered from it alone; the others pay for
/// every view, averaged exactly as before. The fake forward pass returns each "view" as its own logits, and records
/// what it was asked to run.
/// </summary>
public sealed class ViewCascadeTests
{
    private sealed class RecordingForward
    {
        public List<float[][]> Calls { get; } = [];

        public float[] Run(IReadOnlyList<float[]> views)
        {
            Calls.Add([.. views]);
            return views.SelectMany(v => v).ToArray();
        }
    }

    private static readonly float[] Sure = [6f, 0f, 0f];          // p ≈ 0.995 at T = 1
    private static readonly float[] Hesitant = [0.5f, 0.4f, 0f];  // p ≈ 0.40

    [Fact]
    public void SureFirstView_DecidesAlone_OthersForwardTheirRemainingViewsOnce()
    {
        float[][][] photos =
        [
            [Sure, [0f, 9f, 0f], [0f, 9f, 0f]],          // would average to class 1; the sure first view answers class 0
            [Hesitant, [0f, 3f, 0f], [0f, 0f, 3f]],
            [Hesitant],                                   // one view: nothing else to run
        ];
        var forward = new RecordingForward();

        var result = ViewCascade.Logits(photos, 3, temperature: 1, firstViewAbove: 0.9, forward.Run);

        Assert.Equal(2, forward.Calls.Count);
        Assert.Equal([Sure, Hesitant, Hesitant], forward.Calls[0]);
        Assert.Equal([photos[1][1], photos[1][2]], forward.Calls[1]);
        Assert.Equal([1, 3, 1], result.ViewsUsed);
        Assert.Equal(5, result.ViewsForwarded);
        Assert.Equal([6d, 0d, 0d], result.Logits[0]);
        Assert.Equal(ViewCascade.Average([.. photos[1].SelectMany(v => v)], [3], 3)[0], result.Logits[1]);
        Assert.Equal([0.5d, (double)0.4f, 0d], result.Logits[2]);
    }

    [Fact]
    public void Off_OneForwardOfEveryView_SameAsAveragingAll()
    {
        float[][][] photos = [[Sure, [0f, 9f, 0f], [0f, 8f, 0f]], [Hesitant, [0f, 3f, 0f], [0f, 0f, 3f]]];
        var forward = new RecordingForward();

        var result = ViewCascade.Logits(photos, 3, temperature: 1, firstViewAbove: 1, forward.Run);

        Assert.Single(forward.Calls);
        Assert.Equal(6, forward.Calls[0].Length);
        Assert.Equal([3, 3], result.ViewsUsed);
        var all = ViewCascade.Average([.. photos.SelectMany(p => p).SelectMany(v => v)], [3, 3], 3);
        Assert.Equal(all[0], result.Logits[0]);
        Assert.Equal(all[1], result.Logits[1]);
        Assert.True(result.Logits[0][1] > result.Logits[0][0], "averaged, the photo leans to the other views' class");
    }

    [Fact]
    public void EveryFirstViewSure_OneForwardOnly()
    {
        var forward = new RecordingForward();
        var result = ViewCascade.Logits([[Sure, Hesitant, Hesitant], [Sure, Hesitant, Hesitant]], 3, 1, 0.9, forward.Run);
        Assert.Single(forward.Calls);
        Assert.Equal([1, 1], result.ViewsUsed);
    }

    [Fact]
    public void SameAs_PointsEachViewAtTheFirstWithTheSamePixels()
    {
        float[] a = [1f, 2f], b = [1f, 3f];
        Assert.Equal([0, 1, 0, 1, 4], ViewCascade.SameAs([a, b, [1f, 2f], [1f, 3f], [1f, 2f, 0f]]));
        Assert.Equal(3, ViewCascade.Forwarded(ViewCascade.SameAs([a, b, [1f, 2f], [1f, 3f], [1f, 2f, 0f]])));
        Assert.Equal([0, 0], ViewCascade.SameAs([a, a]));
    }

    [Fact]
    public void AViewRepeatingAnEarlierOne_IsNotForwardedAgain_AndAveragesAsBefore()
    {
        // A square photo's centre square is its padded whole: the same pixels in a second array.
        float[][][] photos = [[Hesitant, [.. Hesitant], [0f, 0f, 3f]], [Hesitant, [0f, 3f, 0f], [0f, 3f, 0f]]];
        var expected = ViewCascade.Average([.. photos.SelectMany(p => p).SelectMany(v => v)], [3, 3], 3);

        var cascade = new RecordingForward();
        var result = ViewCascade.Logits(photos, 3, temperature: 1, firstViewAbove: 0.9, cascade.Run);
        Assert.Equal(2, cascade.Calls.Count);
        Assert.Equal([photos[0][2], photos[1][1]], cascade.Calls[1]);
        Assert.Equal([2, 2], result.ViewsUsed);
        Assert.Equal(expected, result.Logits);

        var all = new RecordingForward();
        var off = ViewCascade.Logits(photos, 3, temperature: 1, firstViewAbove: 1, all.Run);
        Assert.Equal([photos[0][0], photos[0][2], photos[1][0], photos[1][1]], Assert.Single(all.Calls));
        Assert.Equal([2, 2], off.ViewsUsed);
        Assert.Equal(expected, off.Logits);
    }

    [Theory]
    [InlineData(1.0, 0.85, true)]   // p = e^2.5 / (e^2.5 + 2) ≈ 0.859
    [InlineData(1.0, 0.9, false)]
    [InlineData(2.0, 0.85, false)]  // the calibrated probability decides: at T = 2, p ≈ 0.636
    [InlineData(0.5, 0.9, true)]    // sharper at T = 0.5: p ≈ 0.987
    public void FirstViewDecides_OnTheCalibratedProbability(double temperature, double threshold, bool decides) =>
        Assert.Equal(decides, ViewCascade.FirstViewDecides([2.5f, 0f, 0f], temperature, threshold));

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void FirstViewDecides_NeverWhenOff(double threshold) =>
        Assert.False(ViewCascade.FirstViewDecides([60f, 0f, 0f], 1, threshold));

    [Fact]
    public void AForwardThatReturnsTheWrongShape_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            ViewCascade.Logits([[Sure, Hesitant]], 3, 1, 0.9, _ => new float[2]));
        Assert.Contains("2 logits for 1 views", ex.Message);
    }

    [Fact]
    public void APhotoWithoutViews_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ViewCascade.Logits([[Sure], []], 3, 1, 0.9, v => new float[v.Count * 3]));
}
