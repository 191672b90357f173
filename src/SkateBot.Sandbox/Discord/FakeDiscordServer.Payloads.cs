using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Discord;

/// <summary>Builders for the <c>d</c> of events a test dispatches, shaped like the real payloads in
/// protocols/discord (files 14, 24, 29). Each returns a fresh object the test may change before dispatching.</summary>
public sealed partial class FakeDiscordServer
{
    /// <summary>MESSAGE_CREATE from a (non-bot) user; a guild message carries a partial member with roles.</summary>
    public JsonObject UserMessage(string channelId, string content = "", IEnumerable<JsonObject>? attachments = null,
        string? guildId = null, string authorId = "300000000000000001", string authorName = "skater", IEnumerable<string>? roles = null,
        IEnumerable<JsonObject>? embeds = null)
    {
        var message = new JsonObject
        {
            ["id"] = NextId(), ["channel_id"] = channelId, ["type"] = 0, ["content"] = content,
            ["author"] = new JsonObject { ["id"] = authorId, ["username"] = authorName, ["discriminator"] = "0", ["global_name"] = authorName },
            ["attachments"] = new JsonArray((attachments ?? []).Select(a => (JsonNode)a.DeepClone()).ToArray()),
            ["embeds"] = new JsonArray((embeds ?? []).Select(e => (JsonNode)e.DeepClone()).ToArray()),
            ["mentions"] = new JsonArray(), ["mention_roles"] = new JsonArray(), ["pinned"] = false, ["tts"] = false,
            ["timestamp"] = Now.ToString("O"), ["edited_timestamp"] = null, ["flags"] = 0, ["nonce"] = NextId(),
        };
        if (guildId is not null)
        {
            message["guild_id"] = guildId;
            message["member"] = new JsonObject { ["roles"] = new JsonArray((roles ?? []).Select(r => (JsonNode)r).ToArray()), ["nick"] = null };
        }
        return message;
    }

    /// <summary>MESSAGE_REACTION_ADD (or REMOVE when <paramref name="add"/> is false: no member, no message_author_id).</summary>
    public JsonObject Reaction(string userId, string channelId, string messageId, string emojiName, string? emojiId = null,
        string? guildId = null, bool add = true, string? messageAuthorId = null, IEnumerable<string>? roles = null)
    {
        var reaction = new JsonObject
        {
            ["user_id"] = userId, ["channel_id"] = channelId, ["message_id"] = messageId,
            ["emoji"] = new JsonObject { ["id"] = emojiId, ["name"] = emojiName }, ["burst"] = false, ["type"] = 0,
        };
        if (guildId is not null) reaction["guild_id"] = guildId;
        if (add)
        {
            reaction["message_author_id"] = messageAuthorId ?? Options.BotUserId;
            if (guildId is not null)
                reaction["member"] = new JsonObject
                {
                    ["user"] = new JsonObject { ["id"] = userId, ["username"] = "user" + userId[^4..], ["bot"] = false },
                    ["roles"] = new JsonArray((roles ?? []).Select(r => (JsonNode)r).ToArray()),
                };
        }
        return reaction;
    }

    /// <summary>INTERACTION_CREATE for a slash command (type 2, data.type 1). <paramref name="attachment"/>, when given, is
    /// passed as the attachment option <paramref name="attachmentOptionName"/> and put in data.resolved.attachments.
    /// The interaction token is new each time; read it from the returned object's "token".</summary>
    public JsonObject SlashCommand(string name, string channelId, string? guildId = "400000000000000001", string userId = "300000000000000001",
        JsonObject? attachment = null, string attachmentOptionName = "image", IEnumerable<string>? roles = null, JsonArray? options = null)
    {
        var data = new JsonObject { ["id"] = NextId(), ["name"] = name, ["type"] = 1 };
        var allOptions = options?.DeepClone() as JsonArray ?? [];
        if (attachment is not null)
        {
            allOptions.Add(new JsonObject { ["name"] = attachmentOptionName, ["type"] = 11, ["value"] = (string)attachment["id"]! });
            data["resolved"] = new JsonObject { ["attachments"] = new JsonObject { [(string)attachment["id"]!] = attachment.DeepClone() } };
        }
        if (allOptions.Count > 0) data["options"] = allOptions;
        var user = new JsonObject { ["id"] = userId, ["username"] = "user" + userId[^4..], ["discriminator"] = "0" };
        var interaction = new JsonObject
        {
            ["id"] = NextId(), ["application_id"] = Options.ApplicationId, ["type"] = 2, ["data"] = data, ["channel_id"] = channelId,
            ["token"] = "itoken-" + Guid.NewGuid().ToString("N"), ["version"] = 1, ["locale"] = "en-US",
        };
        if (guildId is not null)
        {
            interaction["guild_id"] = guildId;
            interaction["member"] = new JsonObject { ["user"] = user, ["roles"] = new JsonArray((roles ?? []).Select(r => (JsonNode)r).ToArray()) };
        }
        else
            interaction["user"] = user;
        _interactionsCreated[(string)interaction["token"]!] = Now;
        return interaction;
    }
}
