using System.Text.Json;
using System.Text.RegularExpressions;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Tests.Rest;

public sealed class RestRequestTests
{
    private const string Channel = "500000000000000001";
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    [Fact]
    public async Task GetCurrentUser_Always_SendsBotAuthorizationAndDocumentedUserAgent()
    {
        await using var h = await RestHarness.StartAsync();

        var user = await h.Client.GetCurrentUserAsync();

        var request = Assert.Single(h.Fake.Requests);
        Assert.Equal("Bot " + h.Fake.Options.BotToken, request.Header("Authorization"));
        Assert.Matches(new Regex(@"^DiscordBot \(https?://[^,]+, [0-9][^)]*\)$"), request.Header("User-Agent")!);
        Assert.Equal(h.Fake.Options.BotUserId, user.Id);
        Assert.True(user.Bot);
    }

    [Fact]
    public async Task GetGatewayBot_Always_ReturnsFakeGatewayAndLimits()
    {
        await using var h = await RestHarness.StartAsync();

        var bot = await h.Client.GetGatewayBotAsync();

        Assert.Equal(h.Fake.GatewayUrl, bot.Url);
        Assert.Equal(1000, bot.SessionStartLimit.Remaining);
        Assert.Equal(1, bot.SessionStartLimit.MaxConcurrency);
        Assert.Equal(h.Fake.Options.ApplicationId, (await h.Client.GetCurrentApplicationAsync()).Id);
    }

    [Fact]
    public async Task GetMessageAndReactions_PagedByUserId_ShowWhoReacted()
    {
        await using var h = await RestHarness.StartAsync();
        var message = await h.UserMessageIdAsync();
        await h.Client.CreateReactionAsync(Channel, message, "✅");
        foreach (var user in new[] { "300000000000000003", "300000000000000001", "300000000000000002" })
            await h.Fake.ReactAsync(user, Channel, message, "✅");
        await h.Fake.ReactAsync("300000000000000004", Channel, message, "❌");

        var read = await h.Client.GetMessageAsync(Channel, message);
        var check = read.Reactions!.Single(r => r.Emoji.Name == "✅");
        Assert.Equal((4, true), (check.Count, check.Me));
        var first = await h.Client.GetReactionsAsync(Channel, message, "✅", limit: 2);
        Assert.Equal([(h.Fake.Options.BotUserId, (bool?)true), ("300000000000000001", false)], first.Select(u => (u.Id, u.Bot)));
        var rest = await h.Client.GetReactionsAsync(Channel, message, "✅", afterUserId: first[^1].Id, limit: 2);
        Assert.Equal(["300000000000000002", "300000000000000003"], rest.Select(u => u.Id));
        Assert.EndsWith("/channels/500000000000000001/messages/" + message + "/reactions/%E2%9C%85?limit=2&after=300000000000000001",
            h.Fake.Requests[^1].RawTarget, StringComparison.Ordinal);
        Assert.Empty(await h.Client.GetReactionsAsync(Channel, message, "✅", burst: true));
        var missing = await Assert.ThrowsAsync<SkateBot.Discord.Rest.DiscordApiException>(() => h.Client.GetMessageAsync(Channel, "900000000000000999"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task GetChannelAndGuildMember_GiveTheGuild_AndTheMembersRoles()
    {
        await using var h = await RestHarness.StartAsync();
        h.Fake.AddChannel("500000000000000003", "skates", "400000000000000001");
        h.Fake.AddUser("300000000000000005", "ops", "utoken-ops", ["800000000000000001"]);

        var channel = await h.Client.GetChannelAsync("500000000000000003");
        Assert.Equal(("500000000000000003", 0, "400000000000000001"), (channel.Id, channel.Type, channel.GuildId));
        await h.UserMessageIdAsync();
        var dm = await h.Client.GetChannelAsync(Channel); // the fake's unregistered channel, whose messages carry no guild: a DM
        Assert.Equal((1, (string?)null), (dm.Type, dm.GuildId));

        var member = await h.Client.GetGuildMemberAsync("400000000000000001", "300000000000000005");
        Assert.Equal(["800000000000000001"], member.Roles);
        Assert.Equal("300000000000000005", member.User?.Id);
        Assert.EndsWith("/guilds/400000000000000001/members/300000000000000005", h.Fake.Requests[^1].RawTarget, StringComparison.Ordinal);
        var left = await Assert.ThrowsAsync<SkateBot.Discord.Rest.DiscordApiException>(() => h.Client.GetGuildMemberAsync("400000000000000001", "300000000000000099"));
        Assert.Equal((System.Net.HttpStatusCode.NotFound, (int?)10007), (left.StatusCode, left.Code));
    }

    [Fact]
    public async Task GetChannelMessages_NewestFirst_PagedBefore_WithoutGuild()
    {
        await using var h = await RestHarness.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var message = h.Fake.UserMessage(Channel, $"m{i}", guildId: "400000000000000001");
            h.Fake.AddMessage(message);
            ids.Add((string)message["id"]!);
        }
        ids.Add(await h.UserMessageIdAsync()); // the bot's own

        var newest = await h.Client.GetChannelMessagesAsync(Channel, limit: 2);
        Assert.Equal([ids[3], ids[2]], newest.Select(m => m.Id));
        Assert.All(newest, m => Assert.Null(m.GuildId)); // REST messages carry no guild id
        var older = await h.Client.GetChannelMessagesAsync(Channel, limit: 100, beforeMessageId: newest[^1].Id);
        Assert.Equal([ids[1], ids[0]], older.Select(m => m.Id));
        Assert.Equal(["m1", "m0"], older.Select(m => m.Content));
        Assert.EndsWith($"/channels/{Channel}/messages?limit=100&before={ids[2]}", h.Fake.Requests[^1].RawTarget, StringComparison.Ordinal);
        var none = await Assert.ThrowsAsync<SkateBot.Discord.Rest.DiscordApiException>(() => h.Client.GetChannelMessagesAsync("500000000000000099"));
        Assert.Equal((int?)10003, none.Code);
    }

    [Fact]
    public async Task CreateMessage_ReplyWithoutAllowedMentions_SendsParseEmptyAndNoFailReference()
    {
        await using var h = await RestHarness.StartAsync();
        var original = await h.UserMessageIdAsync();

        var reply = await h.Client.CreateMessageAsync(Channel, new MessageCreate
        {
            Content = "aggressive (93%) <@123> @everyone",
            Embeds = [new Embed { Title = "Aggressive", Color = 0xE67E22, Fields = [new EmbedField { Name = "Confidence", Value = "93%", Inline = true }], Footer = new EmbedFooter { Text = "model v3" } }],
            MessageReference = MessageReference.ReplyTo(original, Channel),
        });

        var body = h.Fake.RequestsTo("POST", "/channels/*/messages")[^1].Json;
        Assert.Equal(JsonValueKind.Array, body.GetProperty("allowed_mentions").GetProperty("parse").ValueKind);
        Assert.Equal(0, body.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.False(body.GetProperty("allowed_mentions").GetProperty("replied_user").GetBoolean());
        Assert.Equal(original, body.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.False(body.GetProperty("message_reference").GetProperty("fail_if_not_exists").GetBoolean());
        Assert.Equal("Confidence", body.GetProperty("embeds")[0].GetProperty("fields")[0].GetProperty("name").GetString());
        Assert.False(body.TryGetProperty("attachments", out _));
        Assert.Equal(original, reply.MessageReference?.MessageId);
    }

    [Fact]
    public async Task CreateMessage_WithFile_SendsMultipartPayloadJsonAndFiles()
    {
        await using var h = await RestHarness.StartAsync();

        var message = await h.Client.CreateMessageAsync(Channel, new MessageCreate { Content = "review" }, [new FileAttachment("photo.png", Png, "image/png")]);

        var request = h.Fake.Requests[^1];
        Assert.True(request.IsMultipart);
        var file = Assert.Single(request.Files);
        Assert.Equal("files[0]", file.FieldName);
        Assert.Equal("photo.png", file.FileName);
        Assert.Equal("image/png", file.ContentType);
        Assert.Equal(Png, file.Content);
        var meta = request.Json.GetProperty("attachments")[0];
        Assert.Equal(0, meta.GetProperty("id").GetInt32());
        Assert.Equal("photo.png", meta.GetProperty("filename").GetString());
        Assert.Equal(0, request.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal(Png, await h.Http.GetByteArrayAsync(attachment.Url));
    }

    [Fact]
    public async Task Interaction_DeferredThenEditOriginalWithPng_RecordedAndApplied()
    {
        await using var h = await RestHarness.StartAsync();
        const string token = "itoken-abc";

        await h.Client.CreateInteractionResponseAsync("600000000000000001", token, InteractionResponse.Deferred());
        var edited = await h.Client.EditOriginalInteractionResponseAsync(h.Fake.Options.ApplicationId, token,
            new MessageEdit { Embeds = [new Embed { Title = "Inline", Image = new EmbedMedia { Url = "attachment://cam.png" } }] },
            [new FileAttachment("cam.png", Png, "image/png")]);

        Assert.Equal(5, h.Fake.InteractionResponseType(token));
        var patch = h.Fake.RequestsTo("PATCH", "/webhooks/*/*/messages/@original").Single();
        Assert.True(patch.IsMultipart);
        Assert.Equal("attachment://cam.png", patch.Json.GetProperty("embeds")[0].GetProperty("image").GetProperty("url").GetString());
        Assert.Equal("cam.png", Assert.Single(edited.Attachments).Filename);
    }

    [Fact]
    public async Task Interaction_EphemeralRefusal_SendsFlags64AndNoMentions()
    {
        await using var h = await RestHarness.StartAsync();

        await h.Client.CreateInteractionResponseAsync("600000000000000002", "itoken-x", InteractionResponse.Message("Only operators can retrain.", ephemeral: true));

        var body = h.Fake.Requests[^1].Json;
        Assert.Equal(4, body.GetProperty("type").GetInt32());
        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Equal(0, body.GetProperty("data").GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public async Task FollowupAndEditMessage_Always_ReturnUpdatedMessages()
    {
        await using var h = await RestHarness.StartAsync();
        await h.Client.CreateInteractionResponseAsync("600000000000000003", "itoken-f", InteractionResponse.Deferred(ephemeral: true));

        var followup = await h.Client.CreateFollowupMessageAsync(h.Fake.Options.ApplicationId, "itoken-f", new MessageCreate { Content = "done", Flags = MessageFlags.Ephemeral });
        var posted = await h.Client.CreateMessageAsync(Channel, new MessageCreate { Content = "v1" });
        var edited = await h.Client.EditMessageAsync(Channel, posted.Id, new MessageEdit { Content = "v2" });

        Assert.Equal("done", followup.Content);
        Assert.Equal(64, followup.Flags);
        Assert.Equal("v2", edited.Content);
        Assert.Equal(0, h.Fake.Requests[^1].Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Theory]
    [InlineData("✅", "%E2%9C%85", "✅")]
    [InlineData("skate:123456789012345678", "skate%3A123456789012345678", "skate:123456789012345678")]
    public async Task CreateReaction_Emoji_UrlEncodedInPath(string emoji, string encoded, string decoded)
    {
        await using var h = await RestHarness.StartAsync();
        var message = await h.UserMessageIdAsync();

        await h.Client.CreateReactionAsync(Channel, message, emoji);

        var request = h.Fake.Requests[^1];
        Assert.Equal("PUT", request.Method);
        Assert.Contains($"/reactions/{encoded}/@me", request.RawTarget, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((message, decoded), Assert.Single(h.Fake.BotReactions));
    }

    [Fact]
    public async Task BulkOverwriteCommands_GlobalAndGuild_RegisteredWithIds()
    {
        await using var h = await RestHarness.StartAsync();
        ApplicationCommand[] commands =
        [
            new() { Name = "classify", Description = "Classify a skate photo", Options = [new ApplicationCommandOption { Type = ApplicationCommandOptionType.Attachment, Name = "image", Description = "The photo", Required = true }] },
            new() { Name = "stats", Description = "Model statistics" },
        ];

        var global = await h.Client.BulkOverwriteGlobalCommandsAsync(h.Fake.Options.ApplicationId, commands);
        var guild = await h.Client.BulkOverwriteGuildCommandsAsync(h.Fake.Options.ApplicationId, "400000000000000001", [new() { Name = "retrain", Description = "Retrain now" }]);

        Assert.All(global, c => Assert.False(string.IsNullOrEmpty(c.Id)));
        Assert.Equal(11, h.Fake.Commands()[0]!["options"]![0]!["type"]!.GetValue<int>());
        Assert.Equal(1, h.Fake.Commands()[0]!["type"]!.GetValue<int>());
        Assert.Equal("400000000000000001", Assert.Single(guild).GuildId);
        Assert.Equal("PUT", h.Fake.Requests[^1].Method);
    }
}
