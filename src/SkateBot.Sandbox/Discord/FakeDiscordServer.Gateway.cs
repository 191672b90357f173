using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SkateBot.Sandbox.Discord;

/// <summary>The fake gateway: Hello, Identify/Resume validation, READY, ACKs, replay on resume (gateway.mdx rules).</summary>
public sealed partial class FakeDiscordServer
{
    private const int PrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);
    private readonly ConcurrentDictionary<string, FakeGatewaySession> _sessions = new();
    private readonly ConcurrentQueue<RecordedGatewayPayload> _gatewayReceived = new();
    private readonly ConcurrentQueue<FakeGatewayConnectionInfo> _connectionInfos = new();
    private readonly ConcurrentQueue<FakeGatewayConnection> _allConnections = new();
    private volatile FakeGatewayConnection? _active;
    private volatile FakeGatewaySession? _currentSession;
    private int _connectionCount;
    private volatile TaskCompletionSource? _resumeHold;

    /// <summary>Every payload clients sent to the gateway (heartbeats, identify, resume, …), in order.</summary>
    public IReadOnlyList<RecordedGatewayPayload> GatewayReceived => _gatewayReceived.ToArray();
    /// <summary>Every gateway connection so far, oldest first.</summary>
    public IReadOnlyList<FakeGatewayConnectionInfo> Connections => _connectionInfos.ToArray();
    public int IdentifyCount => GatewayReceived.Count(p => p.Op == 2);
    public int ResumeCount => GatewayReceived.Count(p => p.Op == 6);
    /// <summary>The session of the latest Identify or Resume, or null.</summary>
    public string? SessionId => _currentSession?.Id;

    /// <summary>Resumes (op 6) received from now on wait until the returned handle is disposed, so a test can dispatch
    /// events while the client is certainly away and see them replayed, however fast the client reconnects.</summary>
    public IDisposable HoldResumes()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _resumeHold = hold;
        return new ResumeRelease(this, hold);
    }

    private sealed class ResumeRelease(FakeDiscordServer fake, TaskCompletionSource hold) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.CompareExchange(ref fake._resumeHold, null, hold);
            hold.TrySetResult();
        }
    }

    private async Task HandleGatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new FakeGatewayConnection(Interlocked.Increment(ref _connectionCount), socket, context.Abort);
        var info = new FakeGatewayConnectionInfo(connection.Id, context.Request.Path + context.Request.QueryString, Now);
        _connectionInfos.Enqueue(info);
        _allConnections.Enqueue(connection);
        _active = connection;
        try
        {
            if (context.Request.Query["v"] != "10" || context.Request.Query["encoding"] != "json")
                await connection.CloseAsync(4012, "Invalid API version").ConfigureAwait(false);
            else
                await connection.SendAsync(Op(10, new JsonObject { ["heartbeat_interval"] = (int)Options.HeartbeatInterval.TotalMilliseconds })).ConfigureAwait(false);
            await ReceiveLoopAsync(connection, info).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client dropped the connection.
        }
        finally
        {
            info.Closed = true;
            connection.Finished = true;
            if (connection.Session is { } session && session.Connection == connection)
                session.Connection = null;
        }
    }

    private async Task ReceiveLoopAsync(FakeGatewayConnection connection, FakeGatewayConnectionInfo info)
    {
        var buffer = new byte[64 * 1024];
        while (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await connection.Socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                info.ClientCloseCode = (int?)connection.Socket.CloseStatus;
                await connection.CloseAsync((int)(connection.Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "").ConfigureAwait(false);
                return;
            }
            if (connection.Socket.State != WebSocketState.Open) continue;   // we closed; wait for the client's close frame
            JsonObject? payload = null;
            try { payload = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)) as JsonObject; }
            catch (JsonException) { }
            if (payload?["op"] is not JsonValue opValue || !opValue.TryGetValue<int>(out var op))
            {
                await connection.CloseAsync(4002, "Decode error").ConfigureAwait(false);
                continue;
            }
            var d = payload["d"] is { } node ? JsonDocument.Parse(node.ToJsonString()).RootElement.Clone() : default;
            _gatewayReceived.Enqueue(new RecordedGatewayPayload(connection.Id, op, d, Now));
            if (!connection.CountReceived(Now, Options.GatewaySendLimit, Options.GatewaySendWindow))
            {
                await connection.CloseAsync(4008, "Rate limited").ConfigureAwait(false);
                continue;
            }
            await HandleOpAsync(connection, op, payload["d"]).ConfigureAwait(false);
        }
    }

    private async Task HandleOpAsync(FakeGatewayConnection connection, int op, JsonNode? d)
    {
        switch (op)
        {
            case 1:
                if (!connection.Silent)
                    await connection.SendAsync(Op(11, null)).ConfigureAwait(false);
                break;
            case 2:
                await IdentifyAsync(connection, d as JsonObject ?? []).ConfigureAwait(false);
                break;
            case 6:
                if (_resumeHold is { } hold) await hold.Task.ConfigureAwait(false);
                await ResumeAsync(connection, d as JsonObject ?? []).ConfigureAwait(false);
                break;
            case 3 or 4 or 8 or 31:
                if (connection.Session is null) await connection.CloseAsync(4003, "Not authenticated").ConfigureAwait(false);
                break;
            default:
                await connection.CloseAsync(4001, "Unknown opcode").ConfigureAwait(false);
                break;
        }
    }

    private static JsonObject Op(int op, JsonNode? d) => new() { ["t"] = null, ["s"] = null, ["op"] = op, ["d"] = d };

    private void AbortAllConnections()
    {
        foreach (var connection in _allConnections)
            connection.Abort();
    }
}
