namespace SkateBot.Reddit.Tests.Images;

public sealed class PostImageExtractorTests
{
    private static ExtractionResult Extract(string fixture, bool includeNsfw = false) =>
        PostImageExtractor.Extract(Fixtures.Post(fixture), includeNsfw);

    private static string[] Urls(ExtractionResult r) => r.Images.Select(i => i.Url.ToString()).ToArray();

    [Fact]
    public void Extract_IReddItImage_ReturnsOriginalUrl()
    {
        var result = Extract("ireddit-image");
        Assert.Equal(["https://i.redd.it/abc123.jpeg"], Urls(result));
        Assert.Equal("t3_a1", result.SourceFullname);
        Assert.Null(result.SkipReason);
        Assert.Null(result.Images[0].MediaId);
    }

    [Fact]
    public void Extract_Gallery_ReturnsStillImagesInGalleryDataOrder()
    {
        var result = Extract("gallery");
        Assert.Equal(
            ["https://preview.redd.it/mmm.jpg?width=640&format=pjpg&auto=webp&s=2",
             "https://preview.redd.it/zzz.jpg?width=1080&format=pjpg&auto=webp&s=3",
             "https://preview.redd.it/aaa.png?width=800&format=png&auto=webp&s=1"],
            Urls(result));
        Assert.Equal(new string?[] { "mmm", "zzz", "aaa" }, result.Images.Select(i => i.MediaId));
    }

    [Fact]
    public void Extract_LinkWithPreview_ReturnsPreviewSource()
    {
        Assert.Equal(["https://external-preview.redd.it/xyz.jpg?auto=webp&s=9"], Urls(Extract("link-preview")));
    }

    [Fact]
    public void Extract_DirectImgurOverHttp_ReturnsHttpsUrl()
    {
        Assert.Equal(["https://i.imgur.com/aw9ldVT.jpg"], Urls(Extract("imgur-direct")));
    }

    [Theory]
    [InlineData("self", SkipReasons.SelfPost)]
    [InlineData("video", SkipReasons.Video)]
    [InlineData("youtube", SkipReasons.Video)]
    [InlineData("removed", SkipReasons.Removed)]
    [InlineData("deleted", SkipReasons.Deleted)]
    [InlineData("nsfw-image", SkipReasons.Nsfw)]
    [InlineData("ireddit-gif", SkipReasons.Animated)]
    public void Extract_SkippedShape_ReturnsNoImagesAndReason(string fixture, string reason)
    {
        var result = Extract(fixture);
        Assert.Empty(result.Images);
        Assert.Equal(reason, result.SkipReason);
        Assert.False(result.HasImages);
    }

    [Fact]
    public void Extract_NsfwWhenIncluded_ReturnsImage()
    {
        Assert.Equal(["https://i.redd.it/nsfw.png"], Urls(Extract("nsfw-image", includeNsfw: true)));
    }

    [Fact]
    public void Extract_Crosspost_FollowsParentAndNamesIt()
    {
        var result = Extract("crosspost-image");
        Assert.Equal("t3_a1", result.SourceFullname);
        Assert.Equal(["https://i.redd.it/abc123.jpeg"], Urls(result));
    }

    [Fact]
    public void Extract_CrosspostWithoutParentList_AsksForParent()
    {
        var result = Extract("crosspost-no-parent");
        Assert.Equal("t3_a1", result.SourceFullname);
        Assert.Equal(SkipReasons.CrosspostParentMissing, result.SkipReason);
        Assert.Empty(result.Images);
    }

    [Fact]
    public void Extract_NsfwCrosspostOfSafeParent_SkipsUnlessIncluded()
    {
        var crosspost = Fixtures.Post("crosspost-image") with { Over18 = true };
        Assert.Equal(SkipReasons.Nsfw, PostImageExtractor.Extract(crosspost, includeNsfw: false).SkipReason);
        Assert.Single(PostImageExtractor.Extract(crosspost, includeNsfw: true).Images);
    }

    [Fact]
    public void Extract_HtmlEscapedPreview_DecodesAmpersands()
    {
        Assert.Equal(["https://external-preview.redd.it/ljF.png?format=pjpg&auto=webp&s=f51"], Urls(Extract("escaped-preview")));
    }

    [Fact]
    public void Extract_GalleryWithOnlyAnimatedOrFailedItems_SkipsAsNoImage()
    {
        var gallery = Fixtures.Post("gallery");
        var onlyBad = gallery with
        {
            GalleryData = new GalleryData { Items = gallery.GalleryData!.Items!.Where(i => i.MediaId is "gif" or "bad").ToList() },
        };
        var result = PostImageExtractor.Extract(onlyBad, includeNsfw: false);
        Assert.Empty(result.Images);
        Assert.Equal(SkipReasons.NoImage, result.SkipReason);
    }

    [Fact]
    public void Extract_LinkWithoutPreview_SkipsAsNoImage()
    {
        var link = Fixtures.Post("link-preview") with { Preview = null };
        Assert.Equal(SkipReasons.NoImage, PostImageExtractor.Extract(link, false).SkipReason);
    }

    [Fact]
    public void Extract_RemovedSelftextMarker_SkipsAsRemoved()
    {
        var post = Fixtures.Post("ireddit-image") with { Selftext = "[removed]" };
        Assert.Equal(SkipReasons.Removed, PostImageExtractor.Extract(post, false).SkipReason);
    }

    [Fact]
    public void Extract_NonHttpUrl_IsIgnored()
    {
        var post = Fixtures.Post("link-preview");
        var bad = post with { Preview = new Preview { Images = [new PreviewImage { Source = new PreviewSource { Url = "javascript:alert(1)" } }] } };
        Assert.Equal(SkipReasons.NoImage, PostImageExtractor.Extract(bad, false).SkipReason);
    }

    [Fact]
    public void Extract_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PostImageExtractor.Extract(null!, false));
    }
}
