using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Discord;

/// <summary>
/// The user side, for the sandbox page: what a Discord client does with a user token (message.mdx "Create Message",
/// "Get Channel Messages", reaction.mdx "Create/Delete Own Reaction", channel listing). Each action becomes the gateway
/// event the bot would get from Discord (MESSAGE_CREATE, MESSAGE_REACTION_ADD/REMOVE, INTERACTION_CREATE).
/// </summary>
public sealed partial class FakeDiscordServer
{
    private readonly ConcurrentDictionary<string, FakeDiscordUser> _usersByToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeDiscordChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<(string Emoji, string UserId)>> _reactionUsers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _visibleOnlyTo = new(StringComparer.Ordinal);
    private readonly Lock _heldLock = new();
    private readonly List<(string Event, JsonObject D)> _held = [];
    private bool _botHasIdentified;

    public FakeDiscordUser AddUser(string id, string name, string token, IEnumerable<string>? roles = null)
    {
        var user = new FakeDiscordUser(id, name, token, [.. roles ?? []]);
        _usersByToken[token] = user;
        _members[id] = user.Roles;
        return user;
    }

    /// <summary>The request's query string, parsed (empty without one).</summary>
    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Query(RecordedRequest r) =>
        r.RawTarget.IndexOf('?', StringComparison.Ordinal) is var at and >= 0
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(r.RawTarget[at..])
            : [];

    /// <summary>Puts a message in its channel's history without dispatching it (as if sent while no session listened):
    /// REST reads show it.</summary>
    public void AddMessage(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = (string?)message["id"] ?? throw new ArgumentException("The message has no id.", nameof(message));
        _messages[id] = (JsonObject)message.DeepClone();
    }

    /// <summary>Role ids of the guild's members: everyone who registered or reacted, with the roles they last acted with.</summary>
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _members = new(StringComparer.Ordinal);

    /// <summary>Someone leaves the guild: GET …/members/{id} answers 404 Unknown Member from now on.</summary>
    public void RemoveMember(string userId) => _members.TryRemove(userId, out _);

    /// <summary>GET /channels/{id} (channel.mdx "Get Channel"): a registered channel; otherwise a channel known from its
    /// messages, a guild text channel when they carry a guild id and a DM (type 1) when not.</summary>
    private FakeResponse ChannelForBot(string channelId)
    {
        if (_channels.TryGetValue(channelId, out var channel)) return Ok(ChannelJson(channel));
        var messages = MessagesIn(channelId);
        if (messages.Count == 0) return FakeResponse.Error(404, 10003, "Unknown Channel");
        var guild = messages.Select(m => (string?)m["guild_id"]).FirstOrDefault(g => g is not null);
        return Ok(guild is null ? new JsonObject { ["id"] = channelId, ["type"] = 1 } : new JsonObject { ["id"] = channelId, ["type"] = 0, ["guild_id"] = guild });
    }

    /// <summary>GET /channels/{id}/messages for the bot (message.mdx "Get Channel Messages"): newest first, at most
    /// <c>limit</c> (1–100, default 50), before the message id <c>before</c> when given; as REST gives them, without
    /// guild_id and member. A channel is known when registered or when it has messages.</summary>
    private FakeResponse MessagesForBot(string channelId, RecordedRequest r)
    {
        var messages = MessagesIn(channelId);
        if (messages.Count == 0 && !_channels.ContainsKey(channelId)) return FakeResponse.Error(404, 10003, "Unknown Channel");
        var query = Query(r);
        var limit = 50;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
            return FormError("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.");
        var before = query.TryGetValue("before", out var b) && decimal.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : decimal.MaxValue;
        var page = messages.Where(m => decimal.Parse((string)m["id"]!, CultureInfo.InvariantCulture) < before && CanSee((string)m["id"]!, BotViewer))
            .Reverse().Take(limit).Select(m =>
            {
                var view = ViewFor(m, BotViewer);
                view.Remove("guild_id");
                view.Remove("member");
                return (JsonNode)view;
            });
        return Ok(new JsonArray([.. page]));
    }

    /// <summary>GET /guilds/{guild}/members/{user} (guild.mdx "Get Guild Member"), in a guild the fake knows from its
    /// channels or messages.</summary>
    private FakeResponse Member(string guildId, string userId) =>
        !_channels.Values.Any(c => c.GuildId == guildId) && !_messages.Values.Any(m => { lock (m) return (string?)m["guild_id"] == guildId; })
            ? FakeResponse.Error(404, 10004, "Unknown Guild")
            : _members.TryGetValue(userId, out var roles)
            ? Ok(new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = userId, ["username"] = "user" + userId[^4..], ["discriminator"] = "0", ["global_name"] = null },
                ["roles"] = new JsonArray([.. roles.Select(x => (JsonNode)x)]), ["nick"] = null, ["joined_at"] = "2026-01-01T00:00:00.000000+00:00",
                ["deaf"] = false, ["mute"] = false, ["flags"] = 0,
            })
            : FakeResponse.Error(404, 10007, "Unknown Member");

    public FakeDiscordChannel AddChannel(string id, string name, string guildId, string topic = "")
    {
        var channel = new FakeDiscordChannel(id, name, guildId, topic);
        _channels[id] = channel;
        return channel;
    }

    private FakeCaller Caller(RecordedRequest r)
    {
        var auth = r.Header("Authorization");
        if (auth == "Bot " + Options.BotToken) return new FakeCaller(true, null);
        return new FakeCaller(false, auth is not null && _usersByToken.TryGetValue(auth, out var user) ? user : null);
    }

    private async Task<FakeResponse> AnswerUserAsync(RecordedRequest r, FakeDiscordUser user)
    {
        var s = r.Path.Trim('/').Split('/');
        try
        {
            return (r.Method, s) switch
            {
                ("GET", ["users", "@me"]) => Ok(new JsonObject { ["id"] = user.Id, ["username"] = user.Name, ["discriminator"] = "0", ["global_name"] = user.Name }),
                ("GET", ["guilds", var guild, "channels"]) => Ok(new JsonArray([.. _channels.Values.Where(c => c.GuildId == guild)
                    .OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => (JsonNode)ChannelJson(c))])),
                ("GET", ["guilds", var guild, "application-command-index"]) => Ok(new JsonObject
                {
                    ["application_commands"] = new JsonArray([.. Commands(guild).Concat(Commands()).Select(c => c!.DeepClone())]),
                }),
                ("GET", ["channels", var channel, "messages"]) => ChannelMessages(channel, user, r),
                ("GET", ["channels", _, "messages", var id]) => _messages.TryGetValue(id, out var m) && CanSee(id, user)
                    ? Ok(ViewFor(m, user)) : FakeResponse.Error(404, 10008, "Unknown Message"),
                ("POST", ["channels", var channel, "messages"]) => await PostAsUserAsync(channel, r, user).ConfigureAwait(false),
                ("PUT", ["channels", var channel, "messages", var id, "reactions", var emoji, "@me"]) =>
                    await ReactAsUserAsync(user, channel, id, emoji, add: true).ConfigureAwait(false),
                ("DELETE", ["channels", var channel, "messages", var id, "reactions", var emoji, "@me"]) =>
                    await ReactAsUserAsync(user, channel, id, emoji, add: false).ConfigureAwait(false),
                ("POST", ["interactions"]) => await InvokeAsync(user, r).ConfigureAwait(false),
                _ => FakeResponse.Error(404, 0, "404: Not Found"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            return FakeResponse.Error(400, 50035, $"Invalid Form Body: {e.Message}");
        }
    }

    private FakeResponse ChannelMessages(string channelId, FakeDiscordUser user, RecordedRequest r)
    {
        if (!_channels.ContainsKey(channelId)) return FakeResponse.Error(404, 10003, "Unknown Channel");
        var query = Query(r);
        var limit = query.TryGetValue("limit", out var l) && int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 100) : 50;
        // Discord answers newest first.
        var messages = MessagesIn(channelId).Where(m => CanSee((string)m["id"]!, user)).Reverse().Take(limit).Select(m => (JsonNode)ViewFor(m, user));
        return Ok(new JsonArray([.. messages]));
    }

    private async Task<FakeResponse> PostAsUserAsync(string channelId, RecordedRequest r, FakeDiscordUser user)
    {
        if (!_channels.TryGetValue(channelId, out var channel)) return FakeResponse.Error(404, 10003, "Unknown Channel");
        if (ParseBody(r) is not { } body) return FakeResponse.Error(400, 50109, "The request body contains invalid JSON.");
        if (ValidateMessage(body, r, requireContent: true) is { } invalid) return invalid;
        var attachments = r.Files.Select(f => CreateAttachment(channelId, f.FileName, f.Content, f.ContentType ?? "application/octet-stream")).ToList();
        var message = UserMessage(channelId, (string?)body["content"] ?? "", attachments, channel.GuildId, user.Id, user.Name, user.Roles);
        _messages[(string)message["id"]!] = (JsonObject)message.DeepClone();
        Changed(channelId, (string)message["id"]!);
        await DispatchOrHoldAsync("MESSAGE_CREATE", message).ConfigureAwait(false);
        return Ok(ViewFor(message, user));
    }

    private async Task<FakeResponse> ReactAsUserAsync(FakeDiscordUser user, string channelId, string messageId, string emoji, bool add)
    {
        if (!_messages.TryGetValue(messageId, out var message) || (string?)message["channel_id"] != channelId)
            return FakeResponse.Error(404, 10008, "Unknown Message");
        var users = _reactionUsers.GetOrAdd(messageId, _ => []);
        lock (users)
        {
            var had = users.Contains((emoji, user.Id));
            if (add == had) return new FakeResponse(204, null, new Dictionary<string, string>()); // Discord: idempotent
            if (add) users.Add((emoji, user.Id));
            else users.Remove((emoji, user.Id));
        }
        Changed(channelId, messageId);
        _members[user.Id] = user.Roles;
        var guild = _channels.TryGetValue(channelId, out var channel) ? channel.GuildId : null;
        var author = (string?)message["author"]?["id"];
        await DispatchOrHoldAsync(add ? "MESSAGE_REACTION_ADD" : "MESSAGE_REACTION_REMOVE",
            Reaction(user.Id, channelId, messageId, emoji, guildId: guild, add: add, messageAuthorId: author, roles: user.Roles)).ConfigureAwait(false);
        return new FakeResponse(204, null, new Dictionary<string, string>());
    }

    /// <summary>A person reacts (or takes the reaction back) as a Discord client would: the fake records it (GET message and
    /// GET reactions show it) and the bot's session gets MESSAGE_REACTION_ADD/REMOVE, or, while the bot is not connected,
    /// the session it left keeps the event for a resume that a restarted bot never makes.</summary>
    public async Task ReactAsync(string userId, string channelId, string messageId, string emoji, bool add = true, IEnumerable<string>? roles = null)
    {
        var response = await ReactAsUserAsync(new FakeDiscordUser(userId, "user" + userId[^4..], "", [.. roles ?? []]), channelId, messageId, emoji, add)
            .ConfigureAwait(false);
        if (response.Status >= 300) throw new InvalidOperationException($"No message {messageId} in channel {channelId} to react on.");
    }

    /// <summary>GET …/reactions/{emoji} (reaction.mdx "Get Reactions"): the users who reacted with the emoji, by id, at most
    /// <c>limit</c> (1–100, default 25) after the user id <c>after</c>; <c>type=1</c> (super reactions) has none here.</summary>
    private FakeResponse ReactionUsers(string channelId, string messageId, string emoji, RecordedRequest r)
    {
        if (!_messages.TryGetValue(messageId, out var message) || (string?)message["channel_id"] != channelId)
            return FakeResponse.Error(404, 10008, "Unknown Message");
        var query = Query(r);
        var limit = 25;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
            return FakeResponse.Error(400, 50035, "Invalid Form Body", """{"limit":{"_errors":[{"code":"NUMBER_TYPE_MAX","message":"int value should be less than or equal to 100."}]}}""");
        var after = query.TryGetValue("after", out var a) && decimal.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0m;
        if (query.TryGetValue("type", out var t) && t == "1") return Ok(new JsonArray());
        List<string> ids;
        if (!_reactionUsers.TryGetValue(messageId, out var users)) ids = [];
        else lock (users) ids = [.. users.Where(u => u.Emoji == emoji).Select(u => u.UserId)];
        var page = ids.Select(u => (Id: u, Key: decimal.Parse(u, CultureInfo.InvariantCulture))).Where(u => u.Key > after).OrderBy(u => u.Key).Take(limit)
            .Select(u => (JsonNode)new JsonObject
            {
                ["id"] = u.Id, ["username"] = u.Id == Options.BotUserId ? Options.BotUserName : "user" + u.Id[^4..], ["discriminator"] = "0",
                ["global_name"] = null, ["bot"] = u.Id == Options.BotUserId,
            });
        return Ok(new JsonArray([.. page]));
    }

    private FakeDiscordUser BotViewer => new(Options.BotUserId, Options.BotUserName, "", []);

    private void RecordBotReaction(string messageId, string emoji)
    {
        var users = _reactionUsers.GetOrAdd(messageId, _ => []);
        lock (users)
            if (!users.Contains((emoji, Options.BotUserId))) users.Add((emoji, Options.BotUserId));
    }

    private bool CanSee(string messageId, FakeDiscordUser user) =>
        !_visibleOnlyTo.TryGetValue(messageId, out var owner) || owner == user.Id;

    /// <summary>The message as a client sees it: reactions with counts and <c>me</c>, and embed images that point at an
    /// <c>attachment://name</c> resolved to that attachment's URL (as Discord does when it stores the message).</summary>
    private JsonObject ViewFor(JsonObject stored, FakeDiscordUser viewer)
    {
        JsonObject view;
        lock (stored) view = (JsonObject)stored.DeepClone();
        var attachments = (view["attachments"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var embed in (view["embeds"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if ((string?)embed["image"]?["url"] is { } url && url.StartsWith("attachment://", StringComparison.Ordinal)
                && attachments.FirstOrDefault(a => (string?)a["filename"] == url["attachment://".Length..]) is { } match)
                embed["image"]!["url"] = match["url"]!.DeepClone();
        }
        if (_reactionUsers.TryGetValue((string)view["id"]!, out var users))
        {
            List<(string Emoji, string UserId)> copy;
            lock (users) copy = [.. users];
            view["reactions"] = new JsonArray([.. copy.GroupBy(u => u.Emoji).Select(g => (JsonNode)new JsonObject
            {
                ["emoji"] = new JsonObject { ["id"] = null, ["name"] = g.Key },
                ["count"] = g.Count(),
                ["count_details"] = new JsonObject { ["burst"] = 0, ["normal"] = g.Count() },
                ["me"] = g.Any(u => u.UserId == viewer.Id),
                ["me_burst"] = false,
            })]);
        }
        return view;
    }

    private static JsonObject ChannelJson(FakeDiscordChannel c) => new()
    {
        ["id"] = c.Id, ["type"] = 0, ["guild_id"] = c.GuildId, ["name"] = c.Name, ["topic"] = c.Topic, ["position"] = 0,
    };

    /// <summary>Dispatches to the bot's session; before the bot has first identified the events wait, in order, and are
    /// delivered right after its READY. (Discord would drop them; the sandbox keeps them so that photos posted while the
    /// first model trains are answered once the bot is up.)</summary>
    private async Task DispatchOrHoldAsync(string eventName, JsonObject d)
    {
        lock (_heldLock)
        {
            if (!_botHasIdentified)
            {
                _held.Add((eventName, d));
                return;
            }
        }
        await DispatchAsync(eventName, d).ConfigureAwait(false);
    }

    private async Task ReleaseHeldAsync(FakeGatewaySession session)
    {
        List<(string Event, JsonObject D)> held;
        lock (_heldLock)
        {
            held = [.. _held];
            _held.Clear();
            _botHasIdentified = true;
        }
        foreach (var (eventName, d) in held)
            await DispatchToSessionAsync(session, eventName, d).ConfigureAwait(false);
    }
}
