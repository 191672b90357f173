using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Discord;

public sealed partial class FakeDiscordServer
{
    private async Task IdentifyAsync(FakeGatewayConnection connection, JsonObject d)
    {
        if (connection.Session is not null) { await connection.CloseAsync(4005, "Already authenticated").ConfigureAwait(false); return; }
        if ((string?)d["token"] != Options.BotToken) { await connection.CloseAsync(4004, "Authentication failed").ConfigureAwait(false); return; }
        var intents = d["intents"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : -1;
        if (intents is < 0 or >= 1 << 26) { await connection.CloseAsync(4013, "Invalid intent(s)").ConfigureAwait(false); return; }
        if (!Options.PrivilegedIntentsEnabled && (intents & PrivilegedIntents) != 0) { await connection.CloseAsync(4014, "Disallowed intent(s)").ConfigureAwait(false); return; }
        if (d["shard"] is JsonArray { Count: 2 } shard && (int)shard[0]! >= (int)shard[1]!) { await connection.CloseAsync(4010, "Invalid shard").ConfigureAwait(false); return; }

        var session = new FakeGatewaySession(Guid.NewGuid().ToString("N"), intents);
        _sessions[session.Id] = session;
        await session.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            connection.Session = session;
            session.Connection = connection;
            _currentSession = session;
        }
        finally
        {
            session.Lock.Release();
        }
        var ready = new JsonObject
        {
            ["v"] = 10, ["user"] = BotUser(), ["guilds"] = new JsonArray(), ["session_id"] = session.Id,
            ["resume_gateway_url"] = ResumeGatewayUrl, ["shard"] = d["shard"]?.DeepClone() ?? new JsonArray(0, 1),
            ["application"] = new JsonObject { ["id"] = Options.ApplicationId, ["flags"] = 0 },
        };
        await DispatchToSessionAsync(session, "READY", ready).ConfigureAwait(false);
        await ReleaseHeldAsync(session).ConfigureAwait(false);
    }

    /// <summary>Resume: replays the events after the client's seq, then RESUMED; an unknown session gets op 9 false.</summary>
    private async Task ResumeAsync(FakeGatewayConnection connection, JsonObject d)
    {
        if ((string?)d["token"] != Options.BotToken) { await connection.CloseAsync(4004, "Authentication failed").ConfigureAwait(false); return; }
        if ((string?)d["session_id"] is not { } id || !_sessions.TryGetValue(id, out var session))
        {
            await connection.SendAsync(Op(9, false)).ConfigureAwait(false);
            return;
        }
        var seq = d["seq"] is JsonValue s && s.TryGetValue<int>(out var n) ? n : 0;
        await session.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (seq > session.Sequence) { await connection.CloseAsync(4007, "Invalid seq").ConfigureAwait(false); return; }
            connection.Session = session;
            session.Connection = connection;
            _currentSession = session;
            foreach (var missed in session.Events.Where(e => (int)e["s"]! > seq - Options.ResumeReplayOverlap))
                await connection.SendAsync(missed).ConfigureAwait(false);
            await SendNewEventAsync(session, "RESUMED", new JsonObject()).ConfigureAwait(false);
        }
        finally
        {
            session.Lock.Release();
        }
    }

    /// <summary>Sends a dispatch (op 0) in the current session and returns its sequence number. When the client is not
    /// connected the event is kept and replayed on resume, as Discord does. MESSAGE_CREATE messages become known to REST
    /// (so replies and reactions to them work). Throws before the first Identify.</summary>
    public Task<int> DispatchAsync(string eventName, object d)
    {
        var session = _currentSession ?? throw new InvalidOperationException("No gateway session yet: wait until the client has identified.");
        var node = d is JsonNode given ? given.DeepClone() : JsonSerializer.SerializeToNode(d) ?? throw new ArgumentNullException(nameof(d));
        if (eventName == "MESSAGE_CREATE" && node is JsonObject message && (string?)message["id"] is { } id)
            _messages[id] = (JsonObject)message.DeepClone();
        return DispatchToSessionAsync(session, eventName, node);
    }

    private async Task<int> DispatchToSessionAsync(FakeGatewaySession session, string eventName, JsonNode d)
    {
        await session.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            return await SendNewEventAsync(session, eventName, d).ConfigureAwait(false);
        }
        finally
        {
            session.Lock.Release();
        }
    }

    private async Task<int> SendNewEventAsync(FakeGatewaySession session, string eventName, JsonNode d)
    {
        var s = ++session.Sequence;
        var payload = new JsonObject { ["t"] = eventName, ["s"] = s, ["op"] = 0, ["d"] = d };
        session.Events.Add(payload);
        if (session.Connection is { IsOpen: true } connection)
            await connection.SendAsync(payload).ConfigureAwait(false);
        return s;
    }

    /// <summary>Sends any opcode on the newest connection (e.g. 7 Reconnect, 1 Heartbeat request).</summary>
    public Task SendOpAsync(int op, object? d = null) =>
        ActiveConnection().SendAsync(Op(op, d is null ? null : d as JsonNode ?? JsonSerializer.SerializeToNode(d)));

    /// <summary>Sends one text frame exactly as given on the newest connection (e.g. truncated or malformed JSON).</summary>
    public Task SendRawAsync(string text) => ActiveConnection().SendTextAsync(text);

    /// <summary>Closes the newest connection with a close code (4000–4014 as Discord would). Later events are kept for a resume.</summary>
    public Task CloseAsync(int code, string reason = "")
    {
        var connection = ActiveConnection();
        if (connection.Session is { } session && session.Connection == connection) session.Connection = null;
        return connection.CloseAsync(code, reason);
    }

    /// <summary>Drops the newest connection without a close frame (a TCP drop).</summary>
    public void DropConnection()
    {
        var connection = ActiveConnection();
        if (connection.Session is { } session && session.Connection == connection) session.Connection = null;
        connection.Abort();
    }

    /// <summary>The newest connection stops acknowledging heartbeats (op 11); dispatches still flow.</summary>
    public void GoSilent() => ActiveConnection().Silent = true;

    /// <summary>Sends op 9; when not resumable the session is also forgotten, so only a new Identify works.</summary>
    public Task InvalidateSessionAsync(bool resumable)
    {
        var connection = ActiveConnection();
        if (!resumable && connection.Session is { } session)
            _sessions.TryRemove(session.Id, out _);
        return connection.SendAsync(Op(9, resumable));
    }

    /// <summary>Waits for a payload the client sent (e.g. <c>p =&gt; p.Op == 2</c>) and returns the first match.</summary>
    public async Task<RecordedGatewayPayload> WaitForGatewayPayloadAsync(Func<RecordedGatewayPayload, bool> predicate, TimeSpan? timeout = null)
    {
        RecordedGatewayPayload? found = null;
        await WaitUntilAsync(() => (found = GatewayReceived.FirstOrDefault(predicate)) is not null, timeout, "a matching gateway payload").ConfigureAwait(false);
        return found!;
    }

    private FakeGatewayConnection ActiveConnection() =>
        _active ?? throw new InvalidOperationException("No client has connected to the fake gateway yet.");
}
