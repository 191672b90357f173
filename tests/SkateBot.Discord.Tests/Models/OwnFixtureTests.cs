using System.Text.Json;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Tests.Models;

/// <summary>Our own payloads for the shapes the bot relies on, so these checks run without ../shared.</summary>
public sealed class OwnFixtureTests
{
    private static GatewayDispatch Dispatch(string eventName, string json) => new(eventName, 7, JsonDocument.Parse(json).RootElement.Clone());

    [Fact]
    public void MessageCreate_AttachmentsAndLinkEmbed_Read()
    {
        var m = Dispatch(GatewayEvents.MessageCreate, """
            {"id":"11","channel_id":"22","guild_id":"33","author":{"id":"44","username":"skater"},"content":"",
             "attachments":[{"id":"55","filename":"a.webp","size":1234,"url":"https://cdn.discordapp.com/a.webp","proxy_url":"https://media.discordapp.net/a.webp","content_type":"image/webp","width":10,"height":20,"unknown_new_field":{"x":1}}],
             "embeds":[{"type":"image","url":"https://i.imgur.com/x.jpg","thumbnail":{"url":"https://i.imgur.com/x.jpg","proxy_url":"https://images-ext.discordapp.net/x","width":5,"height":6}},
                       {"type":"rich","image":{"url":"https://example.com/i.png"}}],
             "nonce":123456789012345678,"member":{"roles":["66","77"]},"type":0}
            """).AsMessageCreate();

        Assert.Equal("55", m.Attachments[0].Id);
        Assert.Equal("image/webp", m.Attachments[0].ContentType);
        Assert.Equal(20, m.Attachments[0].Height);
        Assert.Equal("https://i.imgur.com/x.jpg", m.Embeds[0].Thumbnail!.Url);
        Assert.Equal("image", m.Embeds[0].Type);
        Assert.Equal("https://example.com/i.png", m.Embeds[1].Image!.Url);
        Assert.Equal("123456789012345678", m.Nonce);
        Assert.Equal(["66", "77"], m.Member!.Roles);
        Assert.Null(m.Author.Bot);
    }

    [Fact]
    public void MessageCreate_SnowflakesAsNumbers_ReadAsText()
    {
        var m = Dispatch(GatewayEvents.MessageCreate, """{"id":11,"channel_id":22,"author":{"id":44,"username":"u"}}""").AsMessageCreate();

        Assert.Equal(("11", "22", "44"), (m.Id, m.ChannelId, m.Author.Id));
        Assert.Empty(m.Attachments);
        Assert.Equal("", m.Content);
    }

    [Fact]
    public void Interaction_ClassifyWithAttachment_ResolvesOption()
    {
        var i = Dispatch(GatewayEvents.InteractionCreate, """
            {"id":"1","application_id":"2","type":2,"token":"tok","version":1,"channel_id":"3","guild_id":"4",
             "member":{"user":{"id":"5","username":"op"},"roles":["9"]},
             "data":{"id":"6","name":"classify","type":1,"options":[{"name":"image","type":11,"value":"77"}],
                     "resolved":{"attachments":{"77":{"id":"77","filename":"s.png","size":3,"url":"https://cdn.discordapp.com/s.png","proxy_url":"https://media.discordapp.net/s.png","content_type":"image/png"}}}}}
            """).AsInteraction();

        Assert.Equal("classify", i.Data!.Name);
        Assert.Equal("s.png", i.Data.GetAttachmentOption("image")!.Filename);
        Assert.Null(i.Data.GetAttachmentOption("missing"));
        Assert.Equal("5", i.InvokingUser!.Id);
        Assert.Equal(["9"], i.Member!.Roles);
    }

    [Fact]
    public void Reaction_MinimalRemove_OptionalFieldsNull()
    {
        var r = Dispatch(GatewayEvents.MessageReactionRemove, """{"user_id":"1","channel_id":"2","message_id":"3","emoji":{"id":null,"name":"❌"}}""").AsReaction();

        Assert.Equal("❌", r.Emoji.ToReactionString());
        Assert.Null(r.Burst);
        Assert.Null(r.Type);
        Assert.Null(r.MessageAuthorId);
    }

    [Fact]
    public void TypedHelper_WrongEvent_ClearError() =>
        Assert.Contains("MESSAGE_CREATE", Assert.Throws<InvalidOperationException>(() => Dispatch(GatewayEvents.Ready, "{}").AsMessageCreate()).Message);

    [Fact]
    public void MessageCreate_Serialized_SnakeCaseWithoutNullsAndIndexIdsAsNumbers()
    {
        var json = JsonSerializer.Serialize(new MessageCreate
        {
            Content = "hi",
            MessageReference = MessageReference.ReplyTo("9"),
            AllowedMentions = AllowedMentions.None,
            Attachments = [new AttachmentMetadata { Id = "0", Filename = "a.png" }, new AttachmentMetadata { Id = "1234567890123456789" }],
        }, DiscordJsonContext.Default.MessageCreate);

        Assert.Equal("""{"content":"hi","message_reference":{"message_id":"9","fail_if_not_exists":false},"allowed_mentions":{"parse":[],"replied_user":false},"attachments":[{"id":0,"filename":"a.png"},{"id":"1234567890123456789"}]}""", json);
    }

    [Fact]
    public void GatewayBot_NumbersAsStrings_Tolerated()
    {
        var bot = JsonSerializer.Deserialize("""{"url":"wss://g","shards":"2","session_start_limit":{"total":1000,"remaining":"5","reset_after":10,"max_concurrency":16}}""", DiscordJsonContext.Default.GatewayBot)!;

        Assert.Equal((2, 5, 16), (bot.Shards, bot.SessionStartLimit.Remaining, bot.SessionStartLimit.MaxConcurrency));
    }
}
