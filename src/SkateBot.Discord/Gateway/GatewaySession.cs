using SkateBot.Discord.Models;

namespace SkateBot.Discord.Gateway;

/// <summary>
/// State that outlives one WebSocket connection: the session to resume and the sequence numbers. <see cref="Sequence"/>
/// is the last <c>s</c> received (sent in heartbeats and Resume); <see cref="LastDelivered"/> is the last one handed
/// to the consumer, so events the server replays after a resume are not delivered twice.
/// </summary>
internal sealed class GatewaySession
{
    public string? SessionId { get; set; }
    public string? ResumeGatewayUrl { get; set; }
    private readonly Lock _lock = new();
    private int? _sequence;

    /// <summary>Read by the heartbeat loop while the receive loop writes it.</summary>
    public int? Sequence
    {
        get { lock (_lock) return _sequence; }
        set { lock (_lock) _sequence = value; }
    }
    public int LastDelivered { get; set; }
    public User? User { get; set; }
    public string? ApplicationId { get; set; }

    public bool CanResume => SessionId is not null;

    /// <summary>True from READY or RESUMED until that connection ends (read by health checks on other threads).</summary>
    public bool Connected { get => _connected; set => _connected = value; }
    private volatile bool _connected;

    /// <summary>A new session restarts the sequence at 1.</summary>
    public void Reset()
    {
        SessionId = null;
        ResumeGatewayUrl = null;
        Sequence = null;
        LastDelivered = 0;
    }
}

/// <summary>How a connection ended and what to do next.</summary>
internal readonly record struct ConnectionResult(ReconnectAction Action, bool Established, int? CloseCode = null, bool InvalidSession = false);
