using System.Net;
using System.Text.Json;
using SkateBot.Discord.Gateway;
using SkateBot.Discord.Models;
using SkateBot.Discord.Rest;

namespace SkateBot.Discord.Tests.Models;

/// <summary>Real and documented payloads from ../shared/protocols/discord (see its SOURCES.md). Skipped without ../shared.</summary>
public sealed class SharedProtocolFixtureTests
{
    private static readonly string? Dir = FindDir();

    private static string? FindDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SkateBot.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "protocols", "discord"));
                return Directory.Exists(shared) ? shared : null;
            }
        }
        return null;
    }

    private static JsonElement Load(string prefix)
    {
        Skip.If(Dir is null, "../shared/protocols/discord is not present");
        var file = Directory.GetFiles(Dir!, prefix + "*.json").Single(f => !f.EndsWith(".meta.json", StringComparison.Ordinal));
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
    }

    private static GatewayDispatch Envelope(string prefix)
    {
        var payload = Load(prefix).Deserialize(DiscordJsonContext.Default.GatewayPayload)!;
        Assert.Equal(0, payload.Op);
        return new GatewayDispatch(payload.T!, payload.S, payload.D!.Value);
    }

    private static GatewayDispatch Data(string prefix, string eventName) => new(eventName, null, Load(prefix));

    [SkippableFact]
    public void EveryPayloadFile_Deserializes_WithoutError()
    {
        Skip.If(Dir is null, "../shared/protocols/discord is not present");
        var files = Directory.GetFiles(Dir!, "*.json").Where(f => !f.EndsWith(".meta.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var root = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            var name = Path.GetFileName(file);
            object? parsed = name switch
            {
                _ when root.TryGetProperty("op", out _) => root.Deserialize(DiscordJsonContext.Default.GatewayPayload),
                _ when name.Contains("message-create-d") || name.Contains("rest-message") => root.Deserialize(DiscordJsonContext.Default.Message),
                _ when name.Contains("reaction-") => root.Deserialize(DiscordJsonContext.Default.MessageReactionEvent),
                _ when name.Contains("interaction-") => root.Deserialize(DiscordJsonContext.Default.Interaction),
                _ when name.Contains("ready-d") => root.Deserialize(DiscordJsonContext.Default.Ready),
                _ when name.Contains("gateway-bot") => root.Deserialize(DiscordJsonContext.Default.GatewayBot),
                _ when name.Contains("attachment-object") => root.Deserialize(DiscordJsonContext.Default.Attachment),
                _ when name.Contains("429") || name.Contains("error") => root.Deserialize(DiscordJsonContext.Default.DiscordErrorBody),
                _ => root,
            };
            Assert.True(parsed is not null, name);
        }
    }

    [SkippableFact]
    public void Hello_Real2026_HeartbeatInterval()
    {
        var payload = Load("02-").Deserialize(DiscordJsonContext.Default.GatewayPayload)!;
        Assert.Equal(10, payload.Op);
        Assert.Null(payload.S);
        Assert.Equal(41250, payload.D!.Value.Deserialize(DiscordJsonContext.Default.Hello)!.HeartbeatInterval);
    }

    [SkippableFact]
    public void Ready_Real2026_SessionAndResumeUrl()
    {
        var ready = Envelope("07-").AsReady();
        Assert.Equal("session_id_3", ready.SessionId);
        Assert.Equal("wss://gateway.discord.gg/?v=10&encoding=json", ready.ResumeGatewayUrl);
        Assert.Equal("900000000000000018", ready.User.Id);
        Assert.True(ready.User.Bot);
        Assert.Equal("900000000000000018", ready.Application!.Id);
        Assert.Equal([0, 1], ready.Shard!);
        var old = Data("08-", GatewayEvents.Ready).AsReady();
        Assert.Null(old.ResumeGatewayUrl);
        Assert.Equal("f97bdc3210d0da33a3c61d8363e68579", old.SessionId);
    }

    [SkippableFact]
    public void MessageCreate_Real2026_IdsMemberNonce()
    {
        var dispatch = Envelope("14-");
        var m = dispatch.AsMessageCreate();
        Assert.Equal(4, dispatch.Sequence);
        Assert.Equal("900000000000000087", m.Id);
        Assert.Equal("900000000000000009", m.ChannelId);
        Assert.Equal("900000000000000008", m.GuildId);
        Assert.Equal("900000000000000002", m.Author.Id);
        Assert.Equal(["900000000000000005"], m.Member!.Roles);
        Assert.Equal("nonce_1", m.Nonce);
        Assert.Empty(m.Attachments);
        Assert.Equal("900000000000000088", Envelope("15-").AsMessageCreate().MessageReference!.MessageId);
        Assert.Equal("1457536551075446784", Data("16-", GatewayEvents.MessageCreate).AsMessageCreate().Nonce);
        Assert.Null(Data("19-", GatewayEvents.MessageCreate).AsMessageCreate().GuildId);
    }

    [SkippableFact]
    public void RestMessage_Docs_ReactionsWithCountsAndMe()
    {
        var m = Load("22-").Deserialize(DiscordJsonContext.Default.Message)!;
        var reaction = Assert.Single(m.Reactions!);
        Assert.Equal((1, false, "🔥", (string?)null), (reaction.Count, reaction.Me, reaction.Emoji.Name, reaction.Emoji.Id));
        Assert.Equal((0, 1), (reaction.CountDetails!.Burst, reaction.CountDetails.Normal));
        Assert.Equal("🔥", reaction.Emoji.ToReactionString());
    }

    [SkippableFact]
    public void MessageCreate_IntegerNonce_ReadAsText()
    {
        var m = Data("20-", GatewayEvents.MessageCreate).AsMessageCreate();
        Assert.Equal("-6000000000000000", m.Nonce);
        Assert.True(m.Author.Bot);
        Assert.Equal("300000000000000000", m.Id);
    }

    [SkippableFact]
    public void Attachment_Docs_AllFieldsWeUse()
    {
        var a = Load("21-").Deserialize(DiscordJsonContext.Default.Attachment)!;
        Assert.Equal("111111111111111111111", a.Id);
        Assert.Equal("bug.png", a.Filename);
        Assert.Equal("image/png", a.ContentType);
        Assert.Equal(241394, a.Size);
        Assert.Equal(2482, a.Width);
        Assert.Equal(604, a.Height);
        Assert.StartsWith("https://cdn.discordapp.com/ephemeral-attachments/", a.Url);
        Assert.StartsWith("https://media.discordapp.net/", a.ProxyUrl);
    }

    [SkippableFact]
    public void Reaction_Real2026AndOld_EmojiMemberOptionalBurst()
    {
        var add = Envelope("24-").AsReaction();
        Assert.Equal("900000000000000002", add.UserId);
        Assert.Equal("900000000000000006", add.MessageId);
        Assert.Equal("900000000000000007", add.MessageAuthorId);
        Assert.Equal("900000000000000002", add.Member!.User!.Id);
        Assert.Equal(["900000000000000005"], add.Member.Roles);
        Assert.Equal("name_2", add.Emoji.Name);
        Assert.Null(add.Emoji.Id);
        Assert.False(add.Burst);
        Assert.Equal(0, add.Type);
        Assert.Equal("👍", Data("25-", GatewayEvents.MessageReactionAdd).AsReaction().Emoji.ToReactionString());

        var custom = Data("26-", GatewayEvents.MessageReactionAdd).AsReaction();
        Assert.Equal("AkaShrug:238039508006862848", custom.Emoji.ToReactionString());
        Assert.Null(custom.Burst);
        Assert.Null(custom.Type);
        Assert.Null(custom.GuildId);
        var remove = Data("27-", GatewayEvents.MessageReactionRemove).AsReaction();
        Assert.Equal("😋", remove.Emoji.Name);
        Assert.Null(remove.Member);
        Assert.Equal("392642249055404044", remove.GuildId);
    }

    [SkippableFact]
    public void Interaction_SlashButtonDm_FieldsWeUse()
    {
        var slash = Envelope("29-").AsInteraction();
        Assert.Equal(InteractionType.ApplicationCommand, slash.Type);
        Assert.Equal(1, slash.Data!.Type);
        Assert.Equal("name_48", slash.Data.Name);
        Assert.Equal("900000000000000026", slash.InvokingUser!.Id);
        Assert.Equal(["900000000000000020"], slash.Member!.Roles);
        Assert.Equal("token_1", slash.Token);
        Assert.Equal("900000000000000015", slash.ApplicationId);
        Assert.Equal(1, slash.Version);

        var docs = Data("30-", GatewayEvents.InteractionCreate).AsInteraction();
        Assert.Equal("The Gitrog Monster", docs.Data!.GetOption("cardname")!.ValueAsString());

        var button = Data("31-", GatewayEvents.InteractionCreate).AsInteraction();
        Assert.Equal("2", button.Data!.Id);
        Assert.Equal("hello", button.Data.CustomId);
        Assert.Equal("1457536567810854934", button.Message!.Id);

        var dm = Data("32-", GatewayEvents.InteractionCreate).AsInteraction();
        Assert.Null(dm.Member);
        Assert.Equal("1033044521375764530", dm.InvokingUser!.Id);
        Assert.Null(dm.GuildId);
    }

    [SkippableFact]
    public void RestBodies_GatewayBotAnd429AndErrors_Parsed()
    {
        var bot = Load("39-").Deserialize(DiscordJsonContext.Default.GatewayBot)!;
        Assert.Equal("wss://gateway.discord.gg/?v=10&encoding=json", bot.Url);
        Assert.Equal(999, bot.SessionStartLimit.Remaining);
        Assert.Equal(86215796, bot.SessionStartLimit.ResetAfter);
        Assert.Equal(1, bot.SessionStartLimit.MaxConcurrency);

        var global = Load("35-").Deserialize(DiscordJsonContext.Default.DiscordErrorBody)!;
        Assert.True(global.Global);
        Assert.Equal(64.57, global.RetryAfter);

        var e = DiscordApiException.FromResponse(HttpStatusCode.BadRequest, "route", Load("37-").GetRawText(), s => s);
        Assert.Equal(50035, e.Code);
        Assert.Contains("access_token: This field is required (BASE_TYPE_REQUIRED)", e.Message);
        Assert.Equal(50014, DiscordApiException.FromResponse(HttpStatusCode.Unauthorized, "route", Load("36-").GetRawText(), s => s).Code);
    }
}
