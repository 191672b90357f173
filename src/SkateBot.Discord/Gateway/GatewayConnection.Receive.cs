using System.Net.WebSockets;
using System.Text.Json;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Gateway;

internal sealed partial class GatewayConnection
{
    private readonly byte[] _buffer = new byte[16 * 1024];

    private readonly record struct Step(bool Established, ConnectionResult? Finished);

    private async Task<Hello> ReceiveHelloAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(options.HelloTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var payload = await ReceiveAsync(linked.Token).ConfigureAwait(false)
            ?? throw new WebSocketException($"The gateway closed before Hello ({(int?)_socket.CloseStatus}).");
        if (payload.Op != GatewayOpCode.Hello || payload.D is not { } d)
            throw new InvalidDataException($"Expected Hello (op 10) first, got op {payload.Op}.");
        var hello = DiscordJsonContext.Read(d, DiscordJsonContext.Default.Hello);
        if (hello.HeartbeatInterval <= 0)
            throw new InvalidDataException($"Hello carried an unusable heartbeat_interval {hello.HeartbeatInterval}.");
        return hello;
    }

    /// <summary>One whole message, or null when the server closed. Binary frames would mean compression, which we never ask for.</summary>
    private async Task<GatewayPayload?> ReceiveAsync(CancellationToken ct)
    {
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(_buffer, ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(_buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        if (result.MessageType != WebSocketMessageType.Text)
            throw new InvalidDataException("Received a binary gateway frame, but no compression was requested.");
        return JsonSerializer.Deserialize(message.GetBuffer().AsSpan(0, (int)message.Length), DiscordJsonContext.Default.GatewayPayload)
            ?? throw new JsonException("The gateway sent a null payload.");
    }

    private async Task<Step> HandleAsync(GatewayPayload payload, CancellationToken ct)
    {
        switch (payload.Op)
        {
            case GatewayOpCode.Dispatch:
                return new Step(Dispatch(payload), null);
            case GatewayOpCode.Heartbeat:
                await SendHeartbeatAsync(ct).ConfigureAwait(false);   // "send a heartbeat back immediately"
                return default;
            case GatewayOpCode.HeartbeatAck:
                _ackPending = false;
                return default;
            case GatewayOpCode.Reconnect:
                GatewayLog.ReconnectRequested(logger);
                return new Step(false, new ConnectionResult(ReconnectAction.Resume, false));
            case GatewayOpCode.InvalidSession:
                var resumable = payload.D is { ValueKind: JsonValueKind.True };
                GatewayLog.InvalidSession(logger, resumable);
                return new Step(false, new ConnectionResult(resumable ? ReconnectAction.Resume : ReconnectAction.Reidentify, false, InvalidSession: !resumable));
            default:
                return default;
        }
    }

    /// <summary>Tracks <c>s</c>, stores READY's session, and hands each sequence number to the consumer once.</summary>
    private bool Dispatch(GatewayPayload payload)
    {
        var name = payload.T ?? "";
        var data = payload.D ?? default;
        if (payload.S is { } s)
            session.Sequence = s;
        var established = false;
        if (name == GatewayEvents.Ready)
        {
            var ready = DiscordJsonContext.Read(data, DiscordJsonContext.Default.Ready);
            session.SessionId = ready.SessionId;
            session.ResumeGatewayUrl = ready.ResumeGatewayUrl;
            session.User = ready.User;
            session.ApplicationId = ready.Application?.Id;
            GatewayLog.Ready(logger, ready.User.Username, ready.User.Id);
            established = true;
        }
        else if (name == GatewayEvents.Resumed)
        {
            GatewayLog.Resumed(logger, session.Sequence);
            established = true;
        }
        if (payload.S is { } seq)
        {
            if (seq <= session.LastDelivered)
            {
                GatewayLog.DuplicateSkipped(logger, name, seq);
                return established;
            }
            session.LastDelivered = seq;
        }
        output.TryWrite(new GatewayDispatch(name, payload.S, data));
        return established;
    }

    private ConnectionResult Closed(bool established)
    {
        int? code = _socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? (int)status : null;
        var action = GatewayCloseCodes.Classify(code);
        GatewayLog.Closed(logger, code, _socket.CloseStatusDescription, action.ToString());
        return new ConnectionResult(action, established, code);
    }

    private async Task CloseQuietlyAsync(WebSocketCloseStatus status)
    {
        if (_socket is null || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await _socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket is going away either way; disposing it aborts the connection.
        }
    }
}
