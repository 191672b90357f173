using System.Text.Json.Nodes;
using SkateBot.Sandbox.Reddit;

namespace SkateBot.Reddit.Tests.Http;

public sealed class RedditListingTests
{
    private static List<string> AddPosts(FakeRedditServer server, string subreddit, int count) =>
        Enumerable.Range(0, count).Select(i => server.AddPost(FakeRedditPost.Self(subreddit, title: $"post {i}"))).ToList();

    [Fact]
    public async Task GetNewAsync_SeveralSubreddits_OneCombinedRequestNewestFirst()
    {
        await using var h = await RedditHarness.StartAsync();
        var a = h.Server.AddPost(FakeRedditPost.Self("rollerblading"));
        h.Server.AddPost(FakeRedditPost.Self("cooking"));
        var b = h.Server.AddPost(FakeRedditPost.Self("inlineskating"));
        var listing = await h.Client.GetNewAsync(["rollerblading", "inlineskating"], null, null, 25);
        Assert.Equal([b, a], listing.Children.Select(p => p.Name));
        Assert.Equal(["inlineskating", "rollerblading"], listing.Children.Select(p => p.Subreddit));
        Assert.Equal("/r/rollerblading+inlineskating/new", Assert.Single(h.ApiRequests).Path);
        Assert.Null(listing.After);
    }

    [Fact]
    public async Task GetNewAsync_BeforeCursor_PagesThroughEverythingNewer()
    {
        await using var h = await RedditHarness.StartAsync();
        var names = AddPosts(h.Server, "skates", 250); // names[249] is the newest
        var seen = new List<string>();
        string? before = names[19];
        var pages = 0;
        while (before is not null)
        {
            var page = await h.Client.GetNewAsync("skates", before, null, 100);
            seen.AddRange(page.Children.Select(p => p.Name));
            before = page.Before;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(names.Skip(20).OrderBy(n => n, Comparer<string>.Create(RedditApiClient.CompareFullnames)), seen.OrderBy(n => n, Comparer<string>.Create(RedditApiClient.CompareFullnames)));
        Assert.Equal(230, seen.Distinct().Count());
    }

    [Fact]
    public async Task GetNewSinceAsync_MoreThanAPageNew_WalksAfterCursorToTheAnchor()
    {
        await using var h = await RedditHarness.StartAsync();
        var names = AddPosts(h.Server, "skates", 250);
        var posts = await h.Client.GetNewSinceAsync(["skates"], names[19], 1000);
        Assert.Equal(Enumerable.Reverse(names).Take(230), posts.Select(p => p.Name));
        var api = h.ApiRequests.ToList();
        Assert.Equal(3, api.Count);
        Assert.False(api[0].Query.ContainsKey("after"));
        Assert.Equal(posts[99].Name, api[1].Query["after"]);
        Assert.Equal(posts[199].Name, api[2].Query["after"]);
    }

    [Fact]
    public async Task GetNewSinceAsync_AnchorDeleted_StillStopsAtOlderIds()
    {
        await using var h = await RedditHarness.StartAsync();
        var old = AddPosts(h.Server, "skates", 5);
        // The anchor is an id between old[4] and the new posts that no longer exists (deleted): Reddit would answer an
        // empty page to before=<it> forever.
        var missingAnchor = "t3_" + FakeRedditServerIds.Next(old[4]);
        h.Server.AddPost(FakeRedditPost.Self("cooking")); // consumes that id in another subreddit
        var fresh = AddPosts(h.Server, "skates", 3);
        var posts = await h.Client.GetNewSinceAsync(["skates"], missingAnchor, 100);
        Assert.Equal(Enumerable.Reverse(fresh), posts.Select(p => p.Name));
    }

    [Fact]
    public async Task GetNewSinceAsync_FirstScan_ReturnsOnlyTheNewestPage()
    {
        await using var h = await RedditHarness.StartAsync();
        var names = AddPosts(h.Server, "skates", 150);
        var posts = await h.Client.GetNewSinceAsync(["skates"], null, 40);
        Assert.Equal(Enumerable.Reverse(names).Take(40), posts.Select(p => p.Name));
        Assert.Equal("40", Assert.Single(h.ApiRequests).Query["limit"]);
    }

    [Fact]
    public async Task GetPostAsync_Crosspost_ParentCanBeFetchedAndExtracted()
    {
        await using var h = await RedditHarness.StartAsync();
        var image = h.Server.AddImage("skate.jpg", [0xFF, 0xD8, 0xFF, 0xE0]);
        var parent = h.Server.AddPost(FakeRedditPost.Image("rollerblading", image));
        var crosspost = FakeRedditPost.Link("inlineskating", new Uri("https://www.reddit.com/r/rollerblading/"));
        crosspost["crosspost_parent"] = parent;
        var xName = h.Server.AddPost(crosspost);

        var listed = (await h.Client.GetNewAsync("inlineskating", null, null, 10)).Children.Single();
        Assert.Equal(xName, listed.Name);
        var extraction = PostImageExtractor.Extract(listed, includeNsfw: false);
        Assert.Equal((parent, SkipReasons.CrosspostParentMissing), (extraction.SourceFullname, extraction.SkipReason));

        var fetched = await h.Client.GetPostAsync(extraction.SourceFullname);
        var images = PostImageExtractor.Extract(fetched!, includeNsfw: false).Images;
        Assert.Equal(image, Assert.Single(images).Url);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0], await h.Http.GetByteArrayAsync(image));
    }

    [SkippableFact]
    public async Task GetNewAsync_RecordedListing_ServedByFakeParsesIdentically()
    {
        await using var h = await RedditHarness.StartAsync();
        var names = h.Server.AddRecordedListing(Fixtures.CorpusFile("20"));
        var listing = await h.Client.GetNewAsync("all", null, null, 100);
        Assert.Equal(names, listing.Children.Select(p => p.Name));
        var galleries = listing.Children.Where(p => p.IsGallery == true).ToList();
        Assert.Equal(13, galleries.Count);
        Assert.All(galleries, g => Assert.NotEmpty(PostImageExtractor.Extract(g, false).Images));
    }

    [Theory]
    [InlineData("r/skates", null, null, 10)]
    [InlineData("skates!", null, null, 10)]
    [InlineData("skates", "t3_abc", "t3_def", 10)]
    [InlineData("skates", "abc", null, 10)]
    [InlineData("skates", null, null, 0)]
    [InlineData("skates", null, null, 101)]
    public async Task GetNewAsync_BadArguments_ThrowBeforeAnyRequest(string subreddit, string? before, string? after, int limit)
    {
        await using var h = await RedditHarness.StartAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => h.Client.GetNewAsync(subreddit, before, after, limit));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public void CompareFullnames_Base36Ids_OrderByAge()
    {
        Assert.True(RedditApiClient.CompareFullnames("t3_zz", "t3_100") < 0);
        Assert.True(RedditApiClient.CompareFullnames("t3_1skdqht", "t3_1sk99af") > 0);
        Assert.Equal(0, RedditApiClient.CompareFullnames("t3_abc", "t3_abc"));
    }

    private static class FakeRedditServerIds
    {
        public static string Next(string fullname)
        {
            const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
            var value = fullname[3..].Aggregate(0L, (acc, c) => acc * 36 + digits.IndexOf(c, StringComparison.Ordinal)) + 1;
            var s = "";
            for (; value > 0; value /= 36)
                s = digits[(int)(value % 36)] + s;
            return s;
        }
    }
}
