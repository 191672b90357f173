namespace SkateBot.Storage.Tests;

public sealed class BotStoreTests : IDisposable
{
    private readonly TestDb _t = new();

    [Fact]
    public void Outbox_KeepsOnePostPerId_OldestFirst_ThroughAttemptsAndReopen_UntilRemoved()
    {
        OutgoingPost Post(string kind, string sha) => new()
        {
            Id = $"{kind}:{sha}", Kind = kind, ChannelId = "c1", ImageSha = sha.ToUpperInvariant(), Label = "unsure", BestClass = "inline",
            Confidence = 0.6, Probabilities = new() { ["aggressive"] = 0.4, ["inline"] = 0.6 }, ModelVersion = "v1", Nonce = "123",
        };
        var first = _t.PutImage("a");
        var second = _t.PutImage("b");
        Assert.True(_t.Db.Outbox.Add(Post("review", first)));
        _t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_t.Db.Outbox.Add(Post("review", second)));
        Assert.False(_t.Db.Outbox.Add(Post("review", first) with { Nonce = "456" })); // already waiting: kept as it was
        Assert.True(_t.Db.Outbox.Add(Post("feed", first)));
        Assert.Throws<ArgumentException>(() => _t.Db.Outbox.Add(Post("feed", second) with { Nonce = new string('1', 26) }));

        _t.Db.Outbox.Failed($"review:{first}", "503 Service Unavailable");
        _t.Db.Outbox.Posted($"review:{first}", "m9");
        var waiting = _t.Reopen().Outbox.Oldest(10);
        Assert.Equal([$"review:{first}", $"feed:{first}", $"review:{second}"], waiting.Select(p => p.Id).Take(1).Concat(waiting.Skip(1).Select(p => p.Id).Order(StringComparer.Ordinal)));
        var kept = waiting[0];
        Assert.Equal((first, "123", 1, "503 Service Unavailable", "m9", 0.6), (kept.ImageSha, kept.Nonce, kept.Attempts, kept.LastError, kept.PostedMessageId, kept.Probabilities["inline"]));
        Assert.Equal(_t.Time.GetUtcNow() - TimeSpan.FromSeconds(1), kept.At);
        Assert.Equal(2, _t.Db.Outbox.Oldest(2).Count);

        Assert.True(_t.Db.Outbox.Remove($"review:{first}"));
        Assert.False(_t.Db.Outbox.Remove($"review:{first}"));
        Assert.Equal(2, _t.Db.Outbox.Count());
    }

    [Fact]
    public void MessageLinks_PutThenGet_ReturnsItemsForThatMessageOnly()
    {
        var sha = _t.PutImage();
        _t.Db.MessageLinks.Put("discord", "c1", "m1", [new MessageLinkItem(sha.ToUpperInvariant(), "inline", ["aggressive", "inline"], "v1")]);

        var link = _t.Reopen().MessageLinks.Get("discord", "c1", "m1")!;

        var item = Assert.Single(link.Items);
        Assert.Equal((sha, "inline", "v1"), (item.ImageSha, item.PredictedClass, item.ModelVersion));
        Assert.Equal(["aggressive", "inline"], item.Classes);
        Assert.Null(_t.Db.MessageLinks.Get("discord", "c1", "m2"));
        Assert.Throws<ArgumentException>(() => _t.Db.MessageLinks.Put("discord", "c1", "m3", []));
    }

    [Fact]
    public void MessageLinks_Reactions_AreRecordedPerMessage_SurviveReopenAndARePut()
    {
        var sha = _t.PutImage();
        MessageLinkItem[] items = [new(sha, "inline", ["aggressive", "inline"], "v1")];
        Assert.False(_t.Db.MessageLinks.SetReaction("discord", "c1", "m1", "u1", "✅", present: true)); // no link: nothing stored
        _t.Db.MessageLinks.Put("discord", "c1", "m1", items);

        Assert.True(_t.Db.MessageLinks.SetReaction("discord", "c1", "m1", "u1", "✅", present: true));
        Assert.False(_t.Db.MessageLinks.SetReaction("discord", "c1", "m1", "u1", "✅", present: true)); // already so
        Assert.True(_t.Db.MessageLinks.SetReaction("discord", "c1", "m1", "u2", "❌", present: true));
        Assert.True(_t.Db.MessageLinks.SetReaction("discord", "c1", "m1", "u2", "❌", present: false));
        Assert.True(_t.Db.MessageLinks.SetReaction("discord", "c1", "m1", "u2", "✅", present: true));
        _t.Db.MessageLinks.Put("discord", "c1", "m1", items); // linked again: what people did on it stays

        var link = _t.Reopen().MessageLinks.Get("discord", "c1", "m1")!;
        Assert.Equal([new MessageLinkReaction("u1", "✅"), new MessageLinkReaction("u2", "✅")], link.Reactions);
        Assert.True(link.TracksReactions);
    }

    [Fact]
    public void MessageLinks_StoredBeforeReactionsWereRecorded_ReadAsNotTracking()
    {
        var sha = _t.PutImage();
        _t.Db.Dispose();
        using (var raw = new LiteDB.LiteDatabase(Path.Combine(_t.Directory, SkateDatabase.FileName)))
            raw.GetCollection("message_links").Insert(new LiteDB.BsonDocument
            {
                ["_id"] = "discord:c1:old", ["Platform"] = "discord", ["ChannelId"] = "c1", ["MessageId"] = "old",
                ["Items"] = new LiteDB.BsonArray(new LiteDB.BsonDocument
                {
                    ["ImageSha"] = sha, ["PredictedClass"] = "inline", ["Classes"] = new LiteDB.BsonArray("aggressive", "inline"), ["ModelVersion"] = "v1",
                }),
                ["At"] = _t.Time.GetUtcNow().UtcDateTime,
            });

        var link = _t.Reopen().MessageLinks.Get("discord", "c1", "old")!;
        Assert.Equal((false, 0, "inline"), (link.TracksReactions, link.Reactions.Length, link.Items[0].PredictedClass));
    }

    [Fact]
    public void MessageLinks_Since_GivesOnePlatformsRecentLinks_NewestFirst_AtMostMax()
    {
        var sha = _t.PutImage();
        MessageLinkItem[] items = [new(sha, "inline", ["aggressive", "inline"], "v1")];
        _t.Db.MessageLinks.Put("discord", "c1", "old", items);
        _t.Time.Advance(TimeSpan.FromDays(2));
        var since = _t.Time.GetUtcNow();
        _t.Db.MessageLinks.Put("discord", "c1", "m1", items);
        _t.Time.Advance(TimeSpan.FromMinutes(1));
        _t.Db.MessageLinks.Put("reddit", "c1", "m2", items);
        _t.Time.Advance(TimeSpan.FromMinutes(1));
        _t.Db.MessageLinks.Put("discord", "c2", "m3", items);

        Assert.Equal(["m3", "m1"], _t.Db.MessageLinks.Since("discord", since, 10).Select(l => l.MessageId));
        Assert.Equal(["m3"], _t.Db.MessageLinks.Since("discord", since, 1).Select(l => l.MessageId));
        Assert.Empty(_t.Db.MessageLinks.Since("discord", since, 0));
    }

    [Fact]
    public void Cursors_SetTwice_LastValueSurvivesReopen()
    {
        Assert.Null(_t.Db.Cursors.Get("reddit:rollerblading"));
        _t.Db.Cursors.Set("reddit:rollerblading", "t3_a");
        _t.Db.Cursors.Set("reddit:rollerblading", "t3_b");

        Assert.Equal("t3_b", _t.Reopen().Cursors.Get("reddit:rollerblading"));
    }

    [Fact]
    public void ProcessedEvents_SameKeyTwice_SecondFalseUntilPruned()
    {
        Assert.True(_t.Db.ProcessedEvents.TryMarkProcessed("discord:reaction:1"));
        Assert.False(_t.Db.ProcessedEvents.TryMarkProcessed("discord:reaction:1"));
        _t.Time.Advance(TimeSpan.FromDays(2));
        Assert.True(_t.Db.ProcessedEvents.TryMarkProcessed("discord:reaction:2"));

        Assert.Equal(1, _t.Db.ProcessedEvents.Prune(TimeSpan.FromDays(1)));
        Assert.True(_t.Db.ProcessedEvents.TryMarkProcessed("discord:reaction:1"));
        Assert.False(_t.Db.ProcessedEvents.TryMarkProcessed("discord:reaction:2"));
    }

    [Fact]
    public void Posts_Put_ExistsAndStampedNow()
    {
        var sha = _t.PutImage();
        Assert.False(_t.Db.Posts.Exists("reddit:t3_abc"));

        _t.Db.Posts.Put(new SeenPost { Id = "reddit:t3_abc", Permalink = "/r/x/comments/abc", Subreddit = "x", ImageShas = [sha] });

        Assert.True(_t.Db.Posts.Exists("reddit:t3_abc"));
        var post = _t.Db.Posts.Get("reddit:t3_abc")!;
        Assert.Equal((_t.Time.GetUtcNow(), "x", sha), (post.At, post.Subreddit, Assert.Single(post.ImageShas)));
    }

    public void Dispose() => _t.Dispose();
}
