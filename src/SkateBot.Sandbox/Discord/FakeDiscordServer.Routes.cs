using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Discord;

public sealed partial class FakeDiscordServer
{
    private readonly ConcurrentDictionary<string, JsonObject> _messages = new();
    private readonly ConcurrentQueue<(string MessageId, string Emoji)> _reactions = new();
    private readonly ConcurrentDictionary<string, int> _interactionResponses = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _interactionsCreated = new();
    private readonly ConcurrentDictionary<string, string> _originals = new();
    private readonly ConcurrentDictionary<string, JsonArray> _commands = new();

    /// <summary>A copy of a message the fake knows (sent by the client or dispatched as MESSAGE_CREATE), or null.</summary>
    public JsonObject? GetMessage(string messageId) => _messages.TryGetValue(messageId, out var m) ? Copy(m) : null;

    /// <summary>A snapshot taken under the message's lock, so a reader never sees an edit half applied (embeds already
    /// new, attachments still old).</summary>
    private static JsonObject Copy(JsonObject message)
    {
        lock (message) return (JsonObject)message.DeepClone();
    }

    /// <summary>Copies of the messages in a channel, oldest first.</summary>
    public IReadOnlyList<JsonObject> MessagesIn(string channelId) =>
        _messages.Values.Where(m => (string?)m["channel_id"] == channelId).OrderBy(m => decimal.Parse((string)m["id"]!, System.Globalization.CultureInfo.InvariantCulture))
            .Select(Copy).ToList();

    /// <summary>Reactions the bot added (PUT …/reactions/{emoji}/@me), emoji decoded ("✅" or "name:id").</summary>
    public IReadOnlyList<(string MessageId, string Emoji)> BotReactions => _reactions.ToArray();

    /// <summary>The interaction response type the bot sent for an interaction token (4, 5, …), or null.</summary>
    public int? InteractionResponseType(string interactionToken) => _interactionResponses.TryGetValue(interactionToken, out var t) ? t : null;

    /// <summary>The original response message of an interaction (after a type 4/5 callback), or null.</summary>
    public JsonObject? OriginalResponse(string interactionToken) =>
        _originals.TryGetValue(interactionToken, out var id) ? GetMessage(id) : null;

    /// <summary>Registered commands: global when <paramref name="guildId"/> is null.</summary>
    public JsonArray Commands(string? guildId = null) =>
        _commands.TryGetValue(guildId ?? "", out var c) ? (JsonArray)c.DeepClone() : [];

    private FakeResponse Route(RecordedRequest r)
    {
        var s = r.Path.Trim('/').Split('/');
        return (r.Method, s) switch
        {
            ("GET", ["gateway", "bot"]) => Ok(GatewayBot()),
            ("GET", ["users", "@me"]) => Ok(BotUser()),
            ("GET", ["applications", "@me"]) => Ok(new JsonObject { ["id"] = Options.ApplicationId, ["name"] = Options.BotUserName, ["flags"] = 0 }),
            ("POST", ["channels", var channel, "messages"]) => CreateMessage(channel, r),
            ("GET", ["channels", var channel, "messages", var id]) => _messages.TryGetValue(id, out var m) && (string?)m["channel_id"] == channel
                ? Ok(ViewFor(m, BotViewer)) : FakeResponse.Error(404, 10008, "Unknown Message"),
            ("GET", ["channels", var channel, "messages", var id, "reactions", var emoji]) => ReactionUsers(channel, id, emoji, r),
            ("GET", ["channels", var channel]) => ChannelForBot(channel),
            ("GET", ["channels", var channel, "messages"]) => MessagesForBot(channel, r),
            ("GET", ["guilds", var guild, "members", var user]) => Member(guild, user),
            ("PATCH", ["channels", _, "messages", var id]) => EditMessage(id, r),
            ("PUT", ["channels", _, "messages", var id, "reactions", var emoji, "@me"]) => AddReaction(id, emoji),
            ("POST", ["interactions", _, var token, "callback"]) => InteractionCallback(token, r),
            ("PATCH", ["webhooks", _, var token, "messages", "@original"]) => TokenExpired(token) ? InvalidWebhookToken()
                : _originals.TryGetValue(token, out var original) ? EditMessage(original, r) : FakeResponse.Error(404, 10008, "Unknown Message"),
            ("POST", ["webhooks", _, var token]) => TokenExpired(token) ? InvalidWebhookToken()
                : _interactionResponses.ContainsKey(token) ? CreateMessage(InteractionChannel(token), r) : FakeResponse.Error(404, 10015, "Unknown Webhook"),
            ("PUT", ["applications", _, "commands"]) => PutCommands("", r),
            ("PUT", ["applications", _, "guilds", var guild, "commands"]) => PutCommands(guild, r),
            _ => FakeResponse.Error(404, 0, "404: Not Found"),
        };
    }

    private JsonObject GatewayBot() => new()
    {
        ["url"] = GatewayUrl,
        ["shards"] = 1,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = 1000, ["remaining"] = Options.SessionStartRemaining,
            ["reset_after"] = Options.SessionStartResetAfterMs, ["max_concurrency"] = 1,
        },
    };

    private JsonObject BotUser() => new()
    {
        ["id"] = Options.BotUserId, ["username"] = Options.BotUserName, ["discriminator"] = "0", ["bot"] = true, ["global_name"] = null,
    };

    private FakeResponse CreateMessage(string channelId, RecordedRequest r)
    {
        if (ParseBody(r) is not { } body) return FakeResponse.Error(400, 50109, "The request body contains invalid JSON.");
        if (ValidateMessage(body, r, requireContent: true) is { } invalid) return invalid;
        var nonce = body["nonce"]?.ToString();
        if (nonce?.Length > 25) return FormError("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        lock (_nonces)
        {
            // enforce_nonce: the bot's message with this nonce from the past few minutes comes back; none is created.
            if (nonce is not null && body["enforce_nonce"]?.GetValue<bool>() == true && _nonces.TryGetValue(nonce, out var earlier)
                && Now - earlier.At < NonceWindow && _messages.TryGetValue(earlier.MessageId, out var existing))
                return Ok(Copy(existing));
            var created = NewBotMessage(channelId, r, body, nonce);
            if (nonce is not null) _nonces[nonce] = ((string)created["id"]!, Now);
            return Ok(created);
        }
    }

    /// <summary>How long Discord remembers a nonce for <c>enforce_nonce</c> ("the past few minutes").</summary>
    public static readonly TimeSpan NonceWindow = TimeSpan.FromMinutes(5);

    /// <summary>Forgets every nonce, as Discord has once <see cref="NonceWindow"/> has passed: a repeat now creates a new
    /// message.</summary>
    public void ForgetNonces()
    {
        lock (_nonces) _nonces.Clear();
    }

    private readonly Dictionary<string, (string MessageId, DateTimeOffset At)> _nonces = new(StringComparer.Ordinal);

    private JsonObject NewBotMessage(string channelId, RecordedRequest r, JsonObject body, string? nonce)
    {
        var message = new JsonObject
        {
            ["id"] = NextId(), ["channel_id"] = channelId, ["author"] = BotUser(), ["nonce"] = nonce,
            ["content"] = (string?)body["content"] ?? "", ["embeds"] = body["embeds"]?.DeepClone() ?? new JsonArray(),
            ["attachments"] = UploadedAttachments(channelId, r.Files, body), ["flags"] = body["flags"]?.DeepClone() ?? 0,
            ["timestamp"] = Now.ToString("O"), ["type"] = body["message_reference"] is null ? 0 : 19,
            ["mentions"] = new JsonArray(), ["pinned"] = false, ["tts"] = false,
        };
        if (body["message_reference"] is JsonObject reference)
            message["message_reference"] = new JsonObject { ["message_id"] = reference["message_id"]?.DeepClone(), ["channel_id"] = channelId };
        _messages[(string)message["id"]!] = message;
        Changed(channelId, (string)message["id"]!);
        return message;
    }

    private FakeResponse EditMessage(string messageId, RecordedRequest r)
    {
        if (!_messages.TryGetValue(messageId, out var message)) return FakeResponse.Error(404, 10008, "Unknown Message");
        if (ParseBody(r) is not { } body) return FakeResponse.Error(400, 50109, "The request body contains invalid JSON.");
        if (ValidateMessage(body, r, requireContent: false) is { } invalid) return invalid;
        lock (message)
        {
            if (body.ContainsKey("content")) message["content"] = body["content"]?.DeepClone();
            if (body.ContainsKey("embeds")) message["embeds"] = body["embeds"]?.DeepClone() ?? new JsonArray();
            var kept = body["attachments"] is JsonArray keep
                ? ((JsonArray)message["attachments"]!).Where(a => keep.Any(k => k?["id"]?.ToString() == (string?)a!["id"])).Select(a => a!.DeepClone())
                : ((JsonArray)message["attachments"]!).Select(a => a!.DeepClone());
            message["attachments"] = new JsonArray(kept.Concat(UploadedAttachments((string)message["channel_id"]!, r.Files, body).Select(a => a!.DeepClone())).ToArray());
            message["edited_timestamp"] = Now.ToString("O");
            if (message["flags"] is JsonValue f && f.TryGetValue<int>(out var flags) && (flags & LoadingFlag) != 0)
                message["flags"] = flags & ~LoadingFlag;   // the deferred "thinking…" answer now has content
            Changed((string)message["channel_id"]!, messageId);
            return Ok(message);
        }
    }

    private FakeResponse AddReaction(string messageId, string emoji)
    {
        if (!_messages.ContainsKey(messageId)) return FakeResponse.Error(404, 10008, "Unknown Message");
        if (emoji.Contains(':', StringComparison.Ordinal) && !ulong.TryParse(emoji[(emoji.LastIndexOf(':') + 1)..], out _))
            return FakeResponse.Error(400, 10014, "Unknown Emoji");
        _reactions.Enqueue((messageId, emoji));
        RecordBotReaction(messageId, emoji);
        Changed((string)_messages[messageId]["channel_id"]!, messageId);
        return new FakeResponse(204, null, new Dictionary<string, string>());
    }

    /// <summary>Whether the interaction's token has outlived <see cref="FakeDiscordOptions.InteractionTokenLifetime"/>.</summary>
    private bool TokenExpired(string token) =>
        Options.InteractionTokenLifetime is { } lifetime && _interactionsCreated.TryGetValue(token, out var created) && Now - created >= lifetime;

    private static FakeResponse InvalidWebhookToken() => FakeResponse.Error(401, 50027, "Invalid Webhook Token");

    private FakeResponse InteractionCallback(string token, RecordedRequest r)
    {
        if (ParseBody(r) is not { } body || body["type"]?.GetValue<int>() is not { } type)
            return FakeResponse.Error(400, 50035, "Invalid Form Body", """{"type":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}""");
        if (Options.InteractionAnswerWithin is { } within && _interactionsCreated.TryGetValue(token, out var created) && Now - created >= within)
            return FakeResponse.Error(404, 10062, "Unknown interaction");
        if (!_interactionResponses.TryAdd(token, type))
            return FakeResponse.Error(400, 40060, "Interaction has already been acknowledged.");
        if (type is 4 or 5)
        {
            var data = body["data"] as JsonObject ?? [];
            var channel = InteractionChannel(token);
            var message = new JsonObject
            {
                ["id"] = NextId(), ["channel_id"] = channel, ["author"] = BotUser(),
                ["content"] = (string?)data["content"] ?? "", ["embeds"] = data["embeds"]?.DeepClone() ?? new JsonArray(),
                ["attachments"] = UploadedAttachments(channel, r.Files, data), ["flags"] = data["flags"]?.DeepClone() ?? 0,
                ["timestamp"] = Now.ToString("O"), ["type"] = 20,
            };
            DecorateInteractionMessage(token, message, type);
            _messages[(string)message["id"]!] = message;
            _originals[token] = (string)message["id"]!;
            Changed(channel, (string)message["id"]!);
        }
        return new FakeResponse(204, null, new Dictionary<string, string>());
    }

    private static FakeResponse Ok(JsonNode body) => new(200, body.ToJsonString(), new Dictionary<string, string>());

    private static JsonObject? ParseBody(RecordedRequest r)
    {
        try { return r.Body is null ? [] : JsonNode.Parse(r.Body) as JsonObject; }
        catch (JsonException) { return null; }
    }
}
