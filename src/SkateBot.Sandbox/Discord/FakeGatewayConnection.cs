using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SkateBot.Sandbox.Discord;

/// <summary>One client WebSocket on the fake gateway; sends are serialised because tests and the receive loop both send.</summary>
internal sealed class FakeGatewayConnection(int id, WebSocket socket, Action abort)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<DateTimeOffset> _received = new();

    public int Id => id;
    public WebSocket Socket => socket;
    public FakeGatewaySession? Session { get; set; }
    public volatile bool Silent;
    public bool IsOpen => socket.State == WebSocketState.Open;

    public Task SendAsync(JsonObject payload) => SendTextAsync(payload.ToJsonString());

    /// <summary>One text frame as given (a payload, or deliberately broken JSON).</summary>
    public async Task SendTextAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The client went away; a test that expected delivery will notice.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task CloseAsync(int code, string reason)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Set when the server's handler for this connection has returned (its HttpContext is gone).</summary>
    public volatile bool Finished;

    /// <summary>A TCP drop: no close frame.</summary>
    public void Abort()
    {
        if (Finished) return;
        try { abort(); }
        catch (ObjectDisposedException) { /* the request ended meanwhile */ }
    }

    /// <summary>Counts a received event; false when the client went over the send limit (Discord closes with 4008).</summary>
    public bool CountReceived(DateTimeOffset now, int limit, TimeSpan window)
    {
        while (_received.Count > 0 && _received.Peek() <= now - window)
            _received.Dequeue();
        _received.Enqueue(now);
        return _received.Count <= limit;
    }
}

/// <summary>A gateway session: its events by sequence number, so a resume can replay what the client missed.</summary>
internal sealed class FakeGatewaySession(string id, int intents)
{
    public string Id => id;
    public int Intents => intents;
    public SemaphoreSlim Lock { get; } = new(1, 1);
    public List<JsonObject> Events { get; } = [];
    public int Sequence { get; set; }
    public FakeGatewayConnection? Connection { get; set; }
}
