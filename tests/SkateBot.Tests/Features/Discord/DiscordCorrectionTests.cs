using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;
using SkateBot.Features.Classification;
using SkateBot.Features.Discord;
using SkateBot.Sandbox.Discord;
using SkateBot.Storage;
using SkateBot.Tests.Features.RedditScanning;

namespace SkateBot.Tests.Features.Discord;

/// <summary>Reactions on the bot's replies become labels, end to end. Reactions are handled in order, so once a later
/// reaction's label is stored, every earlier reaction has been handled.</summary>
[Collection(RedditScanningCollection.Name)]
public sealed class DiscordCorrectionTests(TinyModelFixture model)
{
    [Fact]
    public async Task Reaction_AddedThenRemoved_StoresTheVoteShowsTheTallyThenWithdrawsIt()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, predicted) = await PhotoWithReplyAsync(h);
        var replyId = (string)reply["id"]!;
        var other = TinyModelFixture.Classes.Single(c => c != predicted);

        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "❌", guildId: DiscordHarness.Guild));
        await DiscordHarness.WaitUntilAsync(() => (string?)h.Fake.GetMessage(replyId)?["content"] is { Length: > 0 }, "the tally edit");

        var vote = Assert.Single(h.Db.Labels.VotesFor(sha));
        Assert.Equal((other, DiscordHarness.User, false, false), (vote.ClassName, vote.UserId, vote.IsOperator, vote.Withdrawn));
        Assert.Equal($"🗳️ 1 person says {other.Replace('_', ' ')}", (string)h.Fake.GetMessage(replyId)!["content"]!);
        Assert.NotEmpty(h.Fake.GetMessage(replyId)!["embeds"]!.AsArray()); // the edit keeps the prediction

        await h.Fake.DispatchAsync("MESSAGE_REACTION_REMOVE", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "❌", guildId: DiscordHarness.Guild, add: false));
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).All(v => v.Withdrawn), "the withdrawal");
        await DiscordHarness.WaitUntilAsync(() => h.Fake.RequestsTo("PATCH", $"/channels/*/messages/{replyId}").Count == 2, "the second tally edit");
        Assert.Equal("", (string?)h.Fake.GetMessage(replyId)!["content"]);
    }

    [Fact]
    public async Task Reaction_ChangedFromRightToWrong_KeepsOneCurrentVoteAndRemovingTheOldOneLeavesIt()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, predicted) = await PhotoWithReplyAsync(h);
        var replyId = (string)reply["id"]!;
        var other = TinyModelFixture.Classes.Single(c => c != predicted);

        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅", guildId: DiscordHarness.Guild));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "❌", guildId: DiscordHarness.Guild));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_REMOVE", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅", guildId: DiscordHarness.Guild, add: false));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.OtherUser, DiscordHarness.WatchedChannel, replyId, "❌", guildId: DiscordHarness.Guild));
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Any(v => v.UserId == DiscordHarness.OtherUser), "the last vote");

        var current = h.Db.Labels.VotesFor(sha).Where(v => !v.Withdrawn).Select(v => (v.UserId, v.ClassName)).Order().ToList();
        Assert.Equal([(DiscordHarness.User, other), (DiscordHarness.OtherUser, other)], current);
        await DiscordHarness.WaitUntilAsync(() => (string?)h.Fake.GetMessage(replyId)?["content"] == $"🗳️ 2 people say {other.Replace('_', ' ')}", "the tally");
    }

    [Fact]
    public async Task Reaction_ByTheBotItself_IsNoLabel()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, predicted) = await PhotoWithReplyAsync(h);
        var replyId = (string)reply["id"]!;

        // Discord echoes the bot's own ✅/❌ back as reaction events.
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(h.Fake.Options.BotUserId, DiscordHarness.WatchedChannel, replyId, "✅", guildId: DiscordHarness.Guild));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(h.Fake.Options.BotUserId, DiscordHarness.WatchedChannel, replyId, "❌", guildId: DiscordHarness.Guild));
        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅", guildId: DiscordHarness.Guild));
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count > 0, "the user's vote");

        var vote = Assert.Single(h.Db.Labels.VotesFor(sha));
        Assert.Equal((predicted, DiscordHarness.User), (vote.ClassName, vote.UserId));
    }

    [Theory]
    [InlineData(DiscordHarness.Operator, null)]
    [InlineData(DiscordHarness.OtherUser, DiscordHarness.OperatorRole)]
    public async Task Reaction_ByAnOperator_IsAnOperatorLabel(string userId, string? role)
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, predicted) = await PhotoWithReplyAsync(h);

        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(userId, DiscordHarness.WatchedChannel, (string)reply["id"]!, "✅",
            guildId: DiscordHarness.Guild, roles: role is null ? null : [role]));
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count > 0, "the operator's vote");

        var vote = Assert.Single(h.Db.Labels.VotesFor(sha));
        Assert.Equal((predicted, userId, true), (vote.ClassName, vote.UserId, vote.IsOperator));
    }

    [Fact]
    public async Task Reaction_InADirectMessage_IsAVote()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var photo = h.NewPhoto();
        var reply = await h.ReplyToAsync(await h.PostAsync(DiscordHarness.DmChannel, guildId: null, photo));

        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.DmChannel, (string)reply["id"]!, "✅"));

        var sha = ClassificationPipeline.Sha256(photo);
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count > 0, "the vote from a DM");
        Assert.Equal(DiscordHarness.User, Assert.Single(h.Db.Labels.VotesFor(sha)).UserId);
    }

    [Fact]
    public async Task Reaction_BeforeTheBotHasItsReplysId_CountsOnceTheReplyIsLinked()
    {
        // Discord shows the reply (people can react) before the bot's POST returns its id and the bot links it to the image.
        await using var h = await DiscordHarness.StartAsync(model, fakeOptions: new FakeDiscordOptions { MessageCreateResponseDelay = TimeSpan.FromSeconds(3) });
        var photo = h.NewPhoto();
        var posted = await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, photo);
        await DiscordHarness.WaitUntilAsync(() => h.RepliesTo(posted).Count == 1, "the reply on Discord");
        var replyId = (string)h.RepliesTo(posted)[0]["id"]!;

        await h.Fake.DispatchAsync("MESSAGE_REACTION_ADD", h.Fake.Reaction(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "2️⃣", guildId: DiscordHarness.Guild));
        var sha = ClassificationPipeline.Sha256(photo);
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count > 0, "the vote cast before the reply was linked");

        var link = h.Db.MessageLinks.Get(CorrectionHandler.Platform, DiscordHarness.WatchedChannel, replyId)!;
        var vote = Assert.Single(h.Db.Labels.VotesFor(sha));
        Assert.Equal((DiscordHarness.User, link.Items[0].Classes[1]), (vote.UserId, vote.ClassName));
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("came before the bot linked it", StringComparison.Ordinal));
        await DiscordHarness.WaitUntilAsync(() => (string?)h.Fake.GetMessage(replyId)?["content"] is { Length: > 0 }, "the tally edit");
    }

    [Fact]
    public async Task Reaction_OnAMessageNotLinkedYet_IsHandledInOrderWhenLinked_AndDroppedWhenNeverLinked()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, _) = await PhotoWithReplyAsync(h);
        var item = h.Db.MessageLinks.Get(CorrectionHandler.Platform, DiscordHarness.WatchedChannel, (string)reply["id"]!)!.Items[0];
        var time = new FakeTimeProvider();
        using var corrections = new CorrectionHandler(h.Db, h.Host.Services.GetRequiredService<DiscordRestClient>(), new ReactionVocabulary("✅", "❌"),
            Options.Create(new DiscordOptions()), NullLogger<CorrectionHandler>.Instance, time: time);
        MessageReactionEvent On(string messageId, string emoji, string user = DiscordHarness.User) =>
            new() { UserId = user, ChannelId = DiscordHarness.WatchedChannel, MessageId = messageId, Emoji = new Emoji { Name = emoji } };

        // Linked within the hold: a vote, its withdrawal and another person's vote, in the order they came.
        Assert.False(await corrections.HandleAsync(On("900000000000000001", "1️⃣"), added: true, botUserId: null));
        Assert.False(await corrections.HandleAsync(On("900000000000000001", "1️⃣"), added: false, botUserId: null));
        Assert.False(await corrections.HandleAsync(On("900000000000000001", "2️⃣", DiscordHarness.OtherUser), added: true, botUserId: null));
        Assert.False(await corrections.HandleAsync(On("900000000000000001", "👍"), added: true, botUserId: null)); // never a vote: not held
        Assert.Equal(3, corrections.HeldCount);
        Assert.Empty(h.Db.Labels.VotesFor(sha));
        h.Db.MessageLinks.Put(CorrectionHandler.Platform, DiscordHarness.WatchedChannel, "900000000000000001", [item]);
        Assert.Equal(3, await corrections.LinkedAsync(DiscordHarness.WatchedChannel, "900000000000000001"));
        Assert.Equal([(DiscordHarness.OtherUser, item.Classes[1])],
            h.Db.Labels.VotesFor(sha).Where(v => !v.Withdrawn).Select(v => (v.UserId, v.ClassName)));
        Assert.Equal(0, corrections.HeldCount);

        // Never linked within the hold: dropped, so a much later link does not turn it into a vote.
        Assert.False(await corrections.HandleAsync(On("900000000000000002", "1️⃣"), added: true, botUserId: null));
        time.Advance(CorrectionHandler.HoldUnlinkedFor + TimeSpan.FromSeconds(1));
        h.Db.MessageLinks.Put(CorrectionHandler.Platform, DiscordHarness.WatchedChannel, "900000000000000002", [item]);
        Assert.Equal(0, await corrections.LinkedAsync(DiscordHarness.WatchedChannel, "900000000000000002"));
        Assert.DoesNotContain(h.Db.Labels.VotesFor(sha), v => v.UserId == DiscordHarness.User && !v.Withdrawn);

        // Bounded: reactions on many never-linked messages keep only the newest MaxHeld.
        for (var i = 0; i < CorrectionHandler.MaxHeld + 10; i++)
            await corrections.HandleAsync(On($"91000000000000{i:D4}", "✅"), added: true, botUserId: null);
        Assert.Equal(CorrectionHandler.MaxHeld, corrections.HeldCount);
    }

    [Fact]
    public async Task Reactions_MadeWhileTheBotWasStopped_CountWhenItStartsAgain()
    {
        // Discord never delivers a new gateway session the reactions made before it: a restart used to lose them.
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, predicted) = await PhotoWithReplyAsync(h);
        var replyId = (string)reply["id"]!;
        var other = TinyModelFixture.Classes.Single(c => c != predicted);
        await h.Fake.ReactAsync(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅");
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count == 1, "the vote cast while the bot ran");

        await h.StopBotAsync();
        await h.Fake.ReactAsync(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅", add: false);  // taken back
        await h.Fake.ReactAsync(DiscordHarness.OtherUser, DiscordHarness.WatchedChannel, replyId, "❌");          // a new vote
        await h.Fake.ReactAsync(DiscordHarness.Operator, DiscordHarness.WatchedChannel, replyId, "✅");           // two new votes from one
        await h.Fake.ReactAsync(DiscordHarness.Operator, DiscordHarness.WatchedChannel, replyId, "❌");           // person: which came last?
        await h.StartBotAgainAsync();

        var tally = $"🗳️ 1 person says {other.Replace('_', ' ')}";
        await DiscordHarness.WaitUntilAsync(() => (string?)h.Fake.GetMessage(replyId)?["content"] == tally, "the tally after the catch-up");
        Assert.Equal([(DiscordHarness.OtherUser, other)], h.Db.Labels.VotesFor(sha).Where(v => !v.Withdrawn).Select(v => (v.UserId, v.ClassName)));
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("2 Discord reaction(s) on message", StringComparison.Ordinal));
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("which came last is unknown", StringComparison.Ordinal));

        // Live reactions go on as before, on top of what the catch-up counted.
        await h.Fake.ReactAsync(DiscordHarness.OtherUser, DiscordHarness.WatchedChannel, replyId, "❌", add: false);
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).All(v => v.Withdrawn), "the live withdrawal");
        await DiscordHarness.WaitUntilAsync(() => (string?)h.Fake.GetMessage(replyId)?["content"] == "", "the tally after the withdrawal");
    }

    [Fact]
    public async Task CatchUp_AnOperatorOnlyByRole_VotesAsAnOperator_WithTheRolesHeldNow()
    {
        // The reaction list names users without roles: a role-only operator's vote made while the bot was away used to
        // count as anyone's.
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, _) = await PhotoWithReplyAsync(h);
        var replyId = (string)reply["id"]!;
        const string roleOperator = "300000000000000010", leaver = "300000000000000011";

        await h.StopBotAsync();
        await h.Fake.ReactAsync(roleOperator, DiscordHarness.WatchedChannel, replyId, "❌", roles: [DiscordHarness.OperatorRole]);
        await h.Fake.ReactAsync(leaver, DiscordHarness.WatchedChannel, replyId, "✅", roles: [DiscordHarness.OperatorRole]);
        h.Fake.RemoveMember(leaver); // left the guild, and with it the role, before the bot came back
        await h.Fake.ReactAsync(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅");
        await h.Fake.ReactAsync(DiscordHarness.Operator, DiscordHarness.WatchedChannel, replyId, "✅"); // an operator by id
        await h.StartBotAgainAsync();

        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count == 4, "the four votes made while the bot was away");
        Assert.Equal([(DiscordHarness.User, false), (DiscordHarness.Operator, true), (roleOperator, true), (leaver, false)],
            h.Db.Labels.VotesFor(sha).OrderBy(v => v.UserId, StringComparer.Ordinal).Select(v => (v.UserId, v.IsOperator)));
        // Roles are looked up only for those who could be operators by role alone, once each.
        Assert.Equal([DiscordHarness.User, roleOperator, leaver],
            h.Fake.RequestsTo("GET", "/guilds/*/members/*").Select(r => r.Path.Split('/')[^1]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CatchUp_ReadsOnlyRecentLinks_SkipsGoneMessages_AndCountsNothingTwice()
    {
        await using var h = await DiscordHarness.StartAsync(model);
        var (sha, reply, predicted) = await PhotoWithReplyAsync(h);
        var replyId = (string)reply["id"]!;
        var link = h.Db.MessageLinks.Get(CorrectionHandler.Platform, DiscordHarness.WatchedChannel, replyId)!;
        h.Db.MessageLinks.Put(CorrectionHandler.Platform, DiscordHarness.WatchedChannel, "900000000000000077", link.Items); // deleted on Discord
        await h.Fake.ReactAsync(DiscordHarness.User, DiscordHarness.WatchedChannel, replyId, "✅");
        await DiscordHarness.WaitUntilAsync(() => h.Db.Labels.VotesFor(sha).Count == 1, "the live vote");

        var time = new FakeTimeProvider(link.At + TimeSpan.FromMinutes(1));
        using var catchUp = new ReactionCatchUp(h.Db, h.Host.Services.GetRequiredService<DiscordRestClient>(), h.Host.Services.GetRequiredService<CorrectionHandler>(),
            new ReactionVocabulary("✅", "❌"), Options.Create(new DiscordOptions()), NullLogger<ReactionCatchUp>.Instance, time);
        // Both links are recent; the vote was seen live, so reading it again changes nothing; the gone message is skipped.
        Assert.Equal(new ReactionCatchUp.Result(2, 1, 0), await catchUp.RunAsync(h.Fake.Options.BotUserId));
        Assert.Single(h.Db.Labels.VotesFor(sha));

        time.Advance(new DiscordOptions().CatchUpReactionsWithin + TimeSpan.FromMinutes(1));
        Assert.Equal(new ReactionCatchUp.Result(0, 0, 0), await catchUp.RunAsync(h.Fake.Options.BotUserId));
    }

    /// <summary>Posts a photo in the watched channel; returns its SHA-256, the reply, and the class the reply shows.</summary>
    private static async Task<(string Sha, JsonObject Reply, string Predicted)> PhotoWithReplyAsync(DiscordHarness h)
    {
        var photo = h.NewPhoto();
        var reply = await h.ReplyToAsync(await h.PostAsync(DiscordHarness.WatchedChannel, DiscordHarness.Guild, photo));
        var title = (string)reply["embeds"]![0]!["title"]!;
        var predicted = TinyModelFixture.Classes.Single(c => string.Equals(c.Replace('_', ' '), title, StringComparison.OrdinalIgnoreCase));
        return (ClassificationPipeline.Sha256(photo), reply, predicted);
    }
}
