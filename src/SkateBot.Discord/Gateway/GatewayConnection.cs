using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SkateBot.Discord.Models;

namespace SkateBot.Discord.Gateway;

/// <summary>
/// One WebSocket connection to the gateway: Hello, heartbeats, Identify or Resume, then dispatches until the
/// connection ends. Rules from gateway.mdx ("Connection Lifecycle", "Sending Heartbeats", "Resuming").
/// </summary>
internal sealed partial class GatewayConnection(
    DiscordClientOptions options, GatewaySession session, IdentifyGate identifyGate, ChannelWriter<GatewayDispatch> output,
    TimeProvider time, ILogger logger)
{
    /// <summary>Any code but 1000/1001 keeps the session resumable (gateway.mdx "Disconnecting"); used for every close.</summary>
    internal const WebSocketCloseStatus ReconnectCloseStatus = (WebSocketCloseStatus)4900;

    private readonly GatewaySendLimiter _sendLimiter = new(time);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket _socket = null!;
    private volatile bool _ackPending;
    private ConnectionResult? _decided;

    public async Task<ConnectionResult> RunAsync(Uri uri, bool resume, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        _socket = socket;
        // Not linked to ct: cancelling a pending receive aborts the socket without any close frame, so a shutdown never
        // told Discord anything. Shutdown sends the close frame itself and lets the receive end with the server's answer.
        using var connection = new CancellationTokenSource();
        await using var onShutdown = ct.Register(() => _ = CloseForShutdownAsync(connection));
        var established = false;
        Task heartbeats = Task.CompletedTask;
        try
        {
            await socket.ConnectAsync(uri, connection.Token).ConfigureAwait(false);
            var hello = await ReceiveHelloAsync(connection.Token).ConfigureAwait(false);
            heartbeats = HeartbeatLoopAsync(TimeSpan.FromMilliseconds(hello.HeartbeatInterval), connection);
            if (resume)
                await SendAsync(GatewayOpCode.Resume, new ResumeData { Token = options.Token, SessionId = session.SessionId!, Seq = session.Sequence },
                    DiscordJsonContext.Default.ResumeData, connection.Token).ConfigureAwait(false);
            else
                await IdentifyAsync(connection.Token).ConfigureAwait(false);

            while (true)
            {
                var payload = await ReceiveAsync(connection.Token).ConfigureAwait(false);
                if (payload is null)
                    return Closed(established);
                var result = await HandleAsync(payload, connection.Token).ConfigureAwait(false);
                if (result.Established) established = session.Connected = true;
                if (result.Finished is { } finished)
                    return finished with { Established = established };
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && _decided is { } decided)
        {
            return decided with { Established = established };   // the heartbeat loop found a zombie connection
        }
        catch (Exception e) when (e is WebSocketException or IOException or JsonException or TimeoutException or InvalidDataException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            GatewayLog.ConnectionFailed(logger, e.Message);
            return new ConnectionResult(ReconnectAction.Resume, established);
        }
        finally
        {
            session.Connected = false;
            await connection.CancelAsync().ConfigureAwait(false);
            // A beat sent into a connection that just broke fails too; the receive side has already decided what to do, and
            // letting the send's exception out of here ended the whole gateway loop (seen in CI as "Broken pipe").
            try { await heartbeats.ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException) { }
            // Also when shutting down: 1000/1001 would invalidate the session and show the bot offline at once, while a
            // resumable close lets a restart within the resume window pick up the missed events (gateway.mdx "Disconnecting").
            await CloseQuietlyAsync(ReconnectCloseStatus).ConfigureAwait(false);
        }
    }

    private async Task CloseForShutdownAsync(CancellationTokenSource connection)
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await CloseQuietlyAsync(ReconnectCloseStatus).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(2), time).ConfigureAwait(false); // the server's close answer ends the receive first
            }
            await connection.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // the connection ended meanwhile
        }
    }

    private async Task IdentifyAsync(CancellationToken ct)
    {
        await identifyGate.WaitAsync(wait => GatewayLog.IdentifyBudgetExhausted(logger, (long)wait.TotalMilliseconds), ct).ConfigureAwait(false);
        session.Reset();
        var identify = new IdentifyData
        {
            Token = options.Token,
            Intents = options.Intents,
            Properties = new IdentifyProperties { Os = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), Browser = "skatebot", Device = "skatebot" },
            Shard = [options.ShardId, options.ShardCount],
        };
        await SendAsync(GatewayOpCode.Identify, identify, DiscordJsonContext.Default.IdentifyData, ct).ConfigureAwait(false);
    }

    /// <summary>First beat after interval × jitter (jitter in [0,1)), then one per interval; a beat that finds the
    /// previous one unacknowledged means a zombie connection: close with a non-1000 code and resume.</summary>
    private async Task HeartbeatLoopAsync(TimeSpan interval, CancellationTokenSource connection)
    {
        var ct = connection.Token;
        await Task.Delay(interval * Random.Shared.NextDouble(), time, ct).ConfigureAwait(false);
        _ackPending = false;
        while (true)
        {
            if (_ackPending)
            {
                GatewayLog.Zombie(logger);
                _decided = new ConnectionResult(ReconnectAction.Resume, false);
                await CloseQuietlyAsync(ReconnectCloseStatus).ConfigureAwait(false);
                await connection.CancelAsync().ConfigureAwait(false);
                return;
            }
            _ackPending = true;
            await SendHeartbeatAsync(ct).ConfigureAwait(false);
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
        }
    }

    private Task SendHeartbeatAsync(CancellationToken ct) =>
        SendAsync(GatewayOpCode.Heartbeat, session.Sequence, DiscordJsonContext.Default.NullableInt32, ct);

    private async Task SendAsync<T>(int op, T data, JsonTypeInfo<T> info, CancellationToken ct)
    {
        var bytes = Envelope(op, JsonSerializer.SerializeToUtf8Bytes(data, info));
        await _sendLimiter.WaitAsync(ct).ConfigureAwait(false);
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static byte[] Envelope(int op, byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("op", op);
            writer.WritePropertyName("d");
            writer.WriteRawValue(data, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
