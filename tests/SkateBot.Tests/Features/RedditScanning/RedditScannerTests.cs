using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkateBot.Features.Classification;
using SkateBot.Features.RedditScanning;
using SkateBot.Sandbox.Reddit;
using SkateBot.Vision.Inference;

namespace SkateBot.Tests.Features.RedditScanning;

/// <summary>The scanner against the fake Reddit, with real storage, downloads and a real (tiny) model.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class RedditScannerTests(TinyModelFixture model)
{
    [Fact]
    public async Task ScanOnce_EveryPostShape_StoresImagesAndPredictionsOnlyForImagePosts()
    {
        await using var h = await ScanHarness.StartAsync(model);
        var single = h.AddImage();
        var g1 = h.AddImage();
        var g2 = h.AddImage();
        var linked = h.AddImage();
        var nsfw = h.AddImage();
        var removed = h.AddImage();
        var singleName = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", single.Url, "my skates"));
        var galleryName = h.Reddit.AddPost(FakeRedditPost.Gallery("rollerblading", [g1.Url, g2.Url]));
        var linkName = h.Reddit.AddPost(FakeRedditPost.Link("rollerblading", new Uri("https://example.com/article"), linked.Url));
        var selfName = h.Reddit.AddPost(FakeRedditPost.Self("rollerblading"));
        var videoName = h.Reddit.AddPost(FakeRedditPost.Video("rollerblading"));
        var nsfwPost = FakeRedditPost.Image("rollerblading", nsfw.Url);
        nsfwPost["over_18"] = true;
        var nsfwName = h.Reddit.AddPost(nsfwPost);
        var removedPost = FakeRedditPost.Image("rollerblading", removed.Url);
        removedPost["removed_by_category"] = "moderator";
        var removedName = h.Reddit.AddPost(removedPost);
        var bareLinkName = h.Reddit.AddPost(FakeRedditPost.Link("rollerblading", new Uri("https://example.com/no-preview")));
        await h.StartBotAsync();

        var report = await h.Scanner.ScanOnceAsync();

        Assert.Equal(3, report.Count(PostOutcome.Recorded));
        Assert.Equal(5, report.Count(PostOutcome.NoImages));
        var db = h.Db;
        Assert.Equal([single.Sha], db.Posts.Get("reddit:" + singleName)!.ImageShas);
        Assert.Equal([g1.Sha, g2.Sha], db.Posts.Get("reddit:" + galleryName)!.ImageShas);
        Assert.Equal([linked.Sha], db.Posts.Get("reddit:" + linkName)!.ImageShas);
        var seen = db.Posts.Get("reddit:" + singleName)!;
        Assert.Equal($"https://www.reddit.com/r/rollerblading/comments/{singleName[3..]}/post/", seen.Permalink);
        Assert.Equal("rollerblading", seen.Subreddit);
        foreach (var sha in new[] { single.Sha, g1.Sha, g2.Sha, linked.Sha })
        {
            var prediction = Assert.Single(db.Predictions.ForImage(sha));
            Assert.Equal(TinyModelFixture.Version, prediction.ModelVersion);
            Assert.Contains(prediction.PredictedClass, TinyModelFixture.Classes);
            Assert.Contains(db.Images.Get(sha)!.Origins, o => o.Kind == "reddit" && o.Url!.StartsWith("https://www.reddit.com/r/rollerblading/", StringComparison.Ordinal));
        }
        foreach (var skipped in new[] { selfName, videoName, nsfwName, removedName, bareLinkName })
            Assert.Null(db.Posts.Get("reddit:" + skipped));
        Assert.False(db.Images.Exists(nsfw.Sha));
        Assert.False(db.Images.Exists(removed.Sha));
        Assert.Equal(0, h.Downloads(nsfw.Url) + h.Downloads(removed.Url));
        Assert.Empty(h.Reddit.Comments); // never comments by default
    }

    [Fact]
    public async Task ScanOnce_IncludeNsfwSet_ClassifiesNsfwImages()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:IncludeNsfw"] = "true";
        var nsfw = h.AddImage();
        var post = FakeRedditPost.Image("rollerblading", nsfw.Url);
        post["over_18"] = true;
        var name = h.Reddit.AddPost(post);
        await h.StartBotAsync();

        await h.Scanner.ScanOnceAsync();

        Assert.Equal([nsfw.Sha], h.Db.Posts.Get("reddit:" + name)!.ImageShas);
    }

    [Fact]
    public async Task ScanOnce_RestartInTheMiddleOfAScan_NoDuplicateAndNoGap()
    {
        await using var h = await ScanHarness.StartAsync(model);
        var posts = new List<(string Name, string Sha)>();
        for (var i = 0; i < 4; i++)
        {
            var image = h.AddImage();
            posts.Add((h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", image.Url)), image.Sha));
        }
        await h.StartBotAsync();
        using (var crash = new CancellationTokenSource())
        {
            // "Kill" the first instance once it is downloading the second image of the scan.
            var watcher = Task.Run(async () =>
            {
                while (h.Reddit.Requests.Count(r => r.Host == FakeRedditHost.Cdn) < 2) await Task.Delay(2);
                await crash.CancelAsync();
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Scanner.ScanOnceAsync(crash.Token));
            await watcher;
        }
        var recordedBeforeCrash = posts.Count(p => h.Db.Posts.Exists("reddit:" + p.Name));
        Assert.InRange(recordedBeforeCrash, 0, 3);
        for (var i = 0; i < 2; i++)
        {
            var image = h.AddImage();
            posts.Add((h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", image.Url)), image.Sha));
        }

        await h.StartBotAsync(); // a new instance on the same database
        var report = await h.Scanner.ScanOnceAsync();

        Assert.Equal(0, report.Count(PostOutcome.AlreadySeen)); // resumed after the last finished post, not from the top
        Assert.Equal(posts.Count - recordedBeforeCrash, report.Count(PostOutcome.Recorded));
        foreach (var (name, sha) in posts)
        {
            Assert.Equal([sha], h.Db.Posts.Get("reddit:" + name)!.ImageShas);
            Assert.Single(h.Db.Predictions.ForImage(sha));
        }
        Assert.Equal(0, (await h.Scanner.ScanOnceAsync()).Total);
    }

    [Fact]
    public async Task ScanOnce_FirstStart_BackfillsAtMostBackfillLimitThenFollowsNewPosts()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:BackfillLimit"] = "3";
        var old = new List<(string Name, string Sha)>();
        for (var i = 0; i < 8; i++)
        {
            var image = h.AddImage();
            old.Add((h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", image.Url)), image.Sha));
        }
        await h.StartBotAsync();

        Assert.Equal(3, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));
        var later = h.AddImage();
        var laterName = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", later.Url));
        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));

        Assert.All(old.Take(5), p => Assert.False(h.Db.Images.Exists(p.Sha)));
        Assert.All(old.Skip(5), p => Assert.True(h.Db.Posts.Exists("reddit:" + p.Name)));
        Assert.True(h.Db.Posts.Exists("reddit:" + laterName));
    }

    [Fact]
    public async Task ScanOnce_BackfillLimitZero_StartsFromNow()
    {
        await using var h = await ScanHarness.StartAsync(model);
        h.Settings["Reddit:BackfillLimit"] = "0";
        var old = h.AddImage();
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", old.Url));
        await h.StartBotAsync();

        Assert.Equal(0, (await h.Scanner.ScanOnceAsync()).Total);
        var fresh = h.AddImage();
        var freshName = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", fresh.Url));
        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));

        Assert.False(h.Db.Images.Exists(old.Sha));
        Assert.True(h.Db.Posts.Exists("reddit:" + freshName));
    }

    [Fact]
    public async Task ScanOnce_ForbiddenSubreddit_IsDroppedOnceAndTheOthersKeepBeingScanned()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: false, "rollerblading", "secretskates", "inlineskating");
        h.Reddit.SetSubredditUnavailable("secretskates", FakeRedditResponse.SubredditForbidden("private"));
        var a = h.AddImage();
        var b = h.AddImage();
        var aName = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", a.Url));
        var bName = h.Reddit.AddPost(FakeRedditPost.Image("inlineskating", b.Url));
        var logs = new ListLoggerProvider();
        await h.StartBotAsync(configure: s => s.AddLogging(l => l.AddProvider(logs)));

        await h.Scanner.ScanOnceAsync();
        var afterDrop = h.Reddit.Requests.Count;
        var c = h.AddImage();
        var cName = h.Reddit.AddPost(FakeRedditPost.Image("inlineskating", c.Url));
        await h.Scanner.ScanOnceAsync();

        Assert.Equal(["rollerblading", "inlineskating"], h.Scanner.ActiveSubreddits);
        Assert.All(new[] { aName, bName, cName }, n => Assert.True(h.Db.Posts.Exists("reddit:" + n)));
        var listings = h.Reddit.Requests.Skip(afterDrop).Where(r => r.Host == FakeRedditHost.Api && r.Path.EndsWith("/new", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/r/rollerblading+inlineskating/new"], listings.Select(r => r.Path));
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("r/secretskates is not readable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScanOnce_CrosspostOfASeenPost_IsNotClassifiedAgain()
    {
        await using var h = await ScanHarness.StartAsync(model, withDiscord: false, "rollerblading", "inlineskating");
        var photo = h.AddImage();
        var original = FakeRedditPost.Image("rollerblading", photo.Url);
        var originalName = h.Reddit.AddPost(original);
        await h.StartBotAsync();
        await h.Scanner.ScanOnceAsync();

        var crosspost = FakeRedditPost.Link("inlineskating", new Uri("https://www.reddit.com" + (string)original["permalink"]!), title: "look");
        crosspost["crosspost_parent"] = originalName;
        crosspost["crosspost_parent_list"] = new JsonArray(original.DeepClone());
        h.Reddit.AddPost(crosspost);
        var report = await h.Scanner.ScanOnceAsync();

        Assert.Equal(1, report.Count(PostOutcome.AlreadySeen));
        Assert.Single(h.Db.Predictions.ForImage(photo.Sha));
        Assert.Equal(1, h.Downloads(photo.Url));
    }

    [Fact]
    public async Task ScanOnce_CrosspostWithoutParentList_FetchesTheParentOnceAndRecordsItUnderTheParent()
    {
        await using var h = await ScanHarness.StartAsync(model);
        var photo = h.AddImage();
        var parentName = h.Reddit.AddPost(FakeRedditPost.Image("skatephotos", photo.Url)); // a subreddit we do not scan
        string Crosspost()
        {
            var post = FakeRedditPost.Link("rollerblading", new Uri("https://www.reddit.com/r/skatephotos/"), title: "xpost");
            post["crosspost_parent"] = parentName;
            return h.Reddit.AddPost(post);
        }
        Crosspost();
        await h.StartBotAsync();

        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));
        Crosspost();
        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.AlreadySeen));

        var seen = h.Db.Posts.Get("reddit:" + parentName)!;
        Assert.Equal([photo.Sha], seen.ImageShas);
        Assert.Equal("skatephotos", seen.Subreddit);
        Assert.Single(h.Db.Predictions.ForImage(photo.Sha));
        Assert.Single(h.Reddit.Requests, r => r.Path == "/comments/" + parentName[3..]);
    }

    [Fact]
    public async Task ScanOnce_SameImageInTwoPosts_IsStoredAndClassifiedOnce()
    {
        await using var h = await ScanHarness.StartAsync(model);
        var photo = h.AddImage();
        var first = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", photo.Url));
        var repost = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", photo.Url));
        await h.StartBotAsync();

        Assert.Equal(2, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));

        Assert.Equal([photo.Sha], h.Db.Posts.Get("reddit:" + first)!.ImageShas);
        Assert.Equal([photo.Sha], h.Db.Posts.Get("reddit:" + repost)!.ImageShas);
        Assert.Single(h.Db.Predictions.ForImage(photo.Sha));
    }

    [Fact]
    public async Task ScanOnce_UnreadableImage_IsLoggedAndTheScanContinues()
    {
        await using var h = await ScanHarness.StartAsync(model);
        var broken = h.Reddit.AddImage("broken.jpg", [0xFF, 0xD8, 0xFF, 0x00, 0x01, 0x02]);
        var missing = new Uri(h.Reddit.CdnBaseUrl + "/missing.jpg");
        var good = h.AddImage();
        var brokenName = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", broken));
        h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", missing));
        var goodName = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", good.Url));
        await h.StartBotAsync();

        var report = await h.Scanner.ScanOnceAsync();

        Assert.Equal(2, report.Count(PostOutcome.Unreadable));
        Assert.Null(h.Db.Posts.Get("reddit:" + brokenName));
        Assert.True(h.Db.Posts.Exists("reddit:" + goodName));
    }

    [Fact]
    public async Task ScanOnce_NoModelServing_WaitsWithoutMovingThePosition()
    {
        await using var h = await ScanHarness.StartAsync(model);
        var photo = h.AddImage();
        var name = h.Reddit.AddPost(FakeRedditPost.Image("rollerblading", photo.Url));
        await h.StartBotAsync();
        // The same wiring, but with a model host that has nothing published yet.
        var empty = ActivatorUtilities.CreateInstance<ClassificationPipeline>(h.Bot!.Services, new ModelHost());
        var scanner = ActivatorUtilities.CreateInstance<RedditScanner>(h.Bot.Services, empty);

        Assert.True((await scanner.ScanOnceAsync()).WaitingForModel);
        Assert.Equal(1, (await h.Scanner.ScanOnceAsync()).Count(PostOutcome.Recorded));
        Assert.True(h.Db.Posts.Exists("reddit:" + name));
    }
}
