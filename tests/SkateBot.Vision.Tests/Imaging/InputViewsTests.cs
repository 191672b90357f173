using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkateBot.Vision.Imaging;

namespace SkateBot.Vision.Tests.Imaging;

public sealed class InputViewsTests
{
    /// <summary>A tall photo (a whole-body shot) on grey with a red "skate" in its bottom tenth.</summary>
    private static Image<Rgb24> TallPhotoWithSkateAtBottom()
    {
        var image = new Image<Rgb24>(300, 1000, new Rgb24(128, 128, 128));
        for (var y = 920; y < 980; y++)
            for (var x = 100; x < 200; x++) image[x, y] = new Rgb24(255, 0, 0);
        return image;
    }

    private static int RedPixels(float[] chw, int size)
    {
        var plane = size * size;
        var count = 0;
        for (var i = 0; i < plane; i++)
            if (chw[i] > 0.8f && chw[plane + i] < 0.2f && chw[2 * plane + i] < 0.2f) count++;
        return count;
    }

    [Fact]
    public void Make_Crop_CutsTheSkateOffATallPhoto()
    {
        using var image = TallPhotoWithSkateAtBottom();
        var views = InputViews.Make(image, InputViews.Crop, 224);
        Assert.Single(views);
        Assert.Equal(0, RedPixels(views[0], 224)); // why crop is no longer the default
    }

    [Theory]
    [InlineData(InputViews.Pad)]
    [InlineData(InputViews.Multi)]
    public void Make_PadAndMulti_KeepTheSkateAtTheBottomOfATallPhoto(string mode)
    {
        using var image = TallPhotoWithSkateAtBottom();
        var views = InputViews.Make(image, mode, 224);
        Assert.Equal(InputViews.Count(mode), views.Length);
        Assert.All(views, v => Assert.Equal(3 * 224 * 224, v.Length));
        Assert.True(RedPixels(views[0], 224) > 50, "the padded whole photo shows the skate");
        if (mode == InputViews.Multi) Assert.True(RedPixels(views[2], 224) > RedPixels(views[0], 224), "the lower square shows it larger");
    }

    /// <summary>A square photo with noise in every pixel, so that two different resamplings could not agree by chance.</summary>
    private static Image<Rgb24> NoisySquare(int side, int seed)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(side, side);
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++) image[x, y] = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
        return image;
    }

    [Theory]
    [InlineData(512)]
    [InlineData(300)]
    [InlineData(224)]
    public void Make_Multi_OnASquarePhoto_TheCentreSquareIsTheWholePhoto(int side)
    {
        using var image = NoisySquare(side, side);
        var views = InputViews.Make(image, InputViews.Multi, 224);
        Assert.Equal(views[0], views[1]);
        Assert.NotEqual(views[0], views[2]);
    }

    [Fact]
    public void Padded_FillsWithTheEdgeColour()
    {
        using var image = new Image<Rgb24>(100, 50, new Rgb24(255, 255, 255));
        var chw = InputViews.Padded(image, 10);
        Assert.All(chw, v => Assert.Equal(1f, v, 3));
    }

    [Fact]
    public void Normalize_Unknown_IsAClearError()
    {
        Assert.Equal(InputViews.Crop, InputViews.Normalize(""));
        Assert.Contains("pad", Assert.Throws<ArgumentException>(() => InputViews.Normalize("squish")).Message);
    }
}
