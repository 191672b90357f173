using System.Net;
using System.Text.Json;

namespace SkateBot.Reddit.Tests.Images;

/// <summary>
/// Runs the extractor over real recorded Reddit responses (../shared/protocols/reddit, see its SOURCES.md) and checks
/// each post against what its own raw JSON flags say it should yield. The expectation is read from the raw JSON, not
/// from our <see cref="Post"/> model, so a model mapping mistake shows up here.
/// </summary>
public sealed class CorpusExtractionTests
{
    [SkippableTheory]
    [InlineData("18")]
    [InlineData("20")]
    [InlineData("27")]
    [InlineData("28")]
    public void Extract_RecordedListing_EveryPostMatchesItsFlags(string prefix)
    {
        var json = File.ReadAllText(Fixtures.CorpusFile(prefix));
        var listing = RedditJson.ParsePostListing(json);
        using var raw = JsonDocument.Parse(json);
        var children = raw.RootElement.GetProperty("data").GetProperty("children").EnumerateArray().Select(c => c.GetProperty("data")).ToList();
        Assert.Equal(children.Count, listing.Children.Count);
        Assert.Equal(RawString(raw.RootElement.GetProperty("data"), "after"), listing.After);

        for (var i = 0; i < children.Count; i++)
        {
            var post = listing.Children[i];
            Assert.Equal(children[i].GetProperty("name").GetString(), post.Name);
            var result = PostImageExtractor.Extract(post, includeNsfw: false);
            Assert.True(Expected(children[i]).SequenceEqual(result.Images.Select(x => x.Url.ToString())),
                $"{post.Name}: expected [{string.Join(", ", Expected(children[i]))}] got [{string.Join(", ", result.Images.Select(x => x.Url))}] ({result.SkipReason})");
            Assert.Equal(result.Images.Count == 0, result.SkipReason is not null);
            Assert.All(result.Images, img => Assert.DoesNotContain("&amp;", img.Url.OriginalString, StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public void Extract_Listing20_GalleriesVideosAndSpecialCases()
    {
        var posts = RedditJson.ParsePostListing(File.ReadAllText(Fixtures.CorpusFile("20"))).Children.ToDictionary(p => p.Name);
        Assert.Equal(13, posts.Values.Count(p => p.IsGallery == true));
        foreach (var gallery in posts.Values.Where(p => p.IsGallery == true))
        {
            var stills = gallery.MediaMetadata!.Values.Count(m => m is { Status: "valid", Kind: "Image" });
            Assert.Equal(stills, PostImageExtractor.Extract(gallery, false).Images.Count);
        }
        Assert.Equal(10, PostImageExtractor.Extract(posts["t3_1skdqht"], false).Images.Count);
        Assert.Single(PostImageExtractor.Extract(posts["t3_1skbrmr"], false).Images); // one Image + one AnimatedImage
        Assert.Equal(SkipReasons.Animated, PostImageExtractor.Extract(posts["t3_1sk9d6x"], false).SkipReason); // i.redd.it .gif
        Assert.Equal("https://i.imgur.com/qguFQDn.jpeg", PostImageExtractor.Extract(posts["t3_1ski1ai"], false).Images.Single().Url.ToString());
        Assert.All(posts.Values.Where(p => p.IsVideo), p => Assert.Equal(SkipReasons.Video, PostImageExtractor.Extract(p, false).SkipReason));
        Assert.Equal(17, posts.Values.Count(p => p.IsVideo));
    }

    [SkippableFact]
    public void Extract_Listing18_DirectHostsAndVideos()
    {
        var posts = RedditJson.ParsePostListing(File.ReadAllText(Fixtures.CorpusFile("18"))).Children.ToDictionary(p => p.Name);
        Assert.Equal("https://i.imgur.com/aw9ldVT.jpg", PostImageExtractor.Extract(posts["t3_5jo13h"], false).Images.Single().Url.ToString());
        Assert.Equal("https://i.redd.it/h8vzqktd215y.png", PostImageExtractor.Extract(posts["t3_5jo13g"], false).Images.Single().Url.ToString());
        Assert.Equal(SkipReasons.Video, PostImageExtractor.Extract(posts["t3_5jo13y"], false).SkipReason); // youtube rich:video
        Assert.Equal(12, posts.Values.Count(p => p.Over18));
        Assert.All(posts.Values.Where(p => p.Over18), p => Assert.Equal(SkipReasons.Nsfw, PostImageExtractor.Extract(p, false).SkipReason));
    }

    [SkippableFact]
    public void Extract_EscapedListings27And28_DecodeAmpersands()
    {
        var l27 = RedditJson.ParsePostListing(File.ReadAllText(Fixtures.CorpusFile("27"))).Children.ToDictionary(p => p.Name);
        Assert.Contains("&amp;", l27["t3_hyhquk"].Preview!.Images![0].Source!.Url, StringComparison.Ordinal); // really escaped
        Assert.Equal("https://i.imgur.com/LrN2mPw.jpg", PostImageExtractor.Extract(l27["t3_hyhquk"], false).Images.Single().Url.ToString());

        var l28 = RedditJson.ParsePostListing(File.ReadAllText(Fixtures.CorpusFile("28"))).Children.ToDictionary(p => p.Name);
        var guardian = PostImageExtractor.Extract(l28["t3_hmwhd7"], false).Images.Single().Url.ToString();
        Assert.Equal(WebUtility.HtmlDecode(l28["t3_hmwhd7"].Preview!.Images![0].Source!.Url), guardian);
        Assert.Contains("?auto=webp&s=", guardian, StringComparison.Ordinal);
        Assert.Equal(SkipReasons.Video, PostImageExtractor.Extract(l28["t3_hybow9"], false).SkipReason);
    }

    [SkippableFact]
    public void Extract_Submission22NsfwCrosspost_NamesParentAndSkips()
    {
        var post = RedditJson.ParseSubmission(File.ReadAllText(Fixtures.CorpusFile("22")))!;
        Assert.Equal("t3_6vx01b", post.CrosspostParent);
        var hidden = PostImageExtractor.Extract(post, includeNsfw: false);
        Assert.Equal(("t3_6vx01b", SkipReasons.Nsfw), (hidden.SourceFullname, hidden.SkipReason));
        var shown = PostImageExtractor.Extract(post, includeNsfw: true);
        Assert.Equal(("t3_6vx01b", SkipReasons.SelfPost), (shown.SourceFullname, shown.SkipReason)); // the parent is a self post
    }

    [SkippableTheory]
    [InlineData("24", SkipReasons.Removed, null)]
    [InlineData("25", SkipReasons.Video, null)]
    [InlineData("26", null, "https://i.redd.it/8xjguc40cnrb1.png")]
    public void Extract_RecordedSubmission_MatchesItsKind(string prefix, string? reason, string? url)
    {
        var post = RedditJson.ParseSubmission(File.ReadAllText(Fixtures.CorpusFile(prefix)))!;
        var result = PostImageExtractor.Extract(post, includeNsfw: false);
        Assert.Equal(reason, result.SkipReason);
        Assert.Equal(url, result.Images.SingleOrDefault()?.Url.ToString());
    }

    [SkippableFact]
    public void Extract_Submission21Gallery_KeepsStillsInOrder()
    {
        var json = File.ReadAllText(Fixtures.CorpusFile("21"));
        var post = RedditJson.ParseSubmission(json)!;
        using var raw = JsonDocument.Parse(json);
        var data = raw.RootElement[0].GetProperty("data").GetProperty("children")[0].GetProperty("data");
        Assert.Equal(Expected(data), PostImageExtractor.Extract(post, false).Images.Select(i => i.Url.ToString()));
        Assert.Equal(["pb7qsvi6i3c51", "14wmudl6i3c51", "wka18en6i3c51"], PostImageExtractor.Extract(post, false).Images.Select(i => i.MediaId!));
    }

    /// <summary>The documented rules, applied to raw JSON.</summary>
    private static List<string> Expected(JsonElement p)
    {
        string? S(string name) => RawString(p, name);
        bool B(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        if (S("removed_by_category") is not null || S("author") == "[deleted]" || S("selftext") is "[removed]" or "[deleted]"
            || B("over_18") || B("is_self") || B("is_video") || S("domain") == "v.redd.it" || S("post_hint") is "hosted:video" or "rich:video")
            return [];
        if (B("is_gallery"))
        {
            var meta = p.GetProperty("media_metadata");
            return p.GetProperty("gallery_data").GetProperty("items").EnumerateArray()
                .Select(item => meta.GetProperty(item.GetProperty("media_id").GetString()!))
                .Where(m => RawString(m, "status") == "valid" && RawString(m, "e") == "Image")
                .Select(m => WebUtility.HtmlDecode(m.GetProperty("s").GetProperty("u").GetString()!)).ToList();
        }
        var url = new Uri(WebUtility.HtmlDecode(S("url_overridden_by_dest") ?? S("url")!), UriKind.RelativeOrAbsolute);
        if (url.IsAbsoluteUri && url.Host is "i.redd.it" or "i.imgur.com")
        {
            var ext = Path.GetExtension(url.AbsolutePath).ToLowerInvariant();
            if (ext is ".jpg" or ".jpeg" or ".png" or ".webp")
                return [new UriBuilder(url) { Scheme = "https", Port = -1 }.Uri.ToString()];
            if (ext is ".gif" or ".gifv" or ".mp4")
                return [];
        }
        if (!p.TryGetProperty("preview", out var preview) || preview.ValueKind != JsonValueKind.Object)
            return [];
        var first = preview.GetProperty("images")[0];
        if (first.TryGetProperty("variants", out var variants) && (variants.TryGetProperty("gif", out _) || variants.TryGetProperty("mp4", out _)))
            return [];
        return [new Uri(WebUtility.HtmlDecode(first.GetProperty("source").GetProperty("url").GetString()!)).ToString()];
    }

    private static string? RawString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
