namespace SkateBot.Sandbox.Site;

/// <summary>What the sandbox itself is doing (training the first model, starting the bot), shown as a banner on the page.
/// Thread-safe: the training thread writes, page requests read.</summary>
public sealed class SandboxStatus
{
    private const int KeptLines = 12;
    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();
    private string _phase = "starting";
    private string _message = "Starting…";

    /// <summary>starting, training, ready or failed.</summary>
    public string Phase { get { lock (_lock) return _phase; } }

    public void Set(string phase, string message)
    {
        lock (_lock) (_phase, _message) = (phase, message);
    }

    public void AddLine(string line)
    {
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }

    public object Snapshot()
    {
        lock (_lock) return new { phase = _phase, message = _message, lines = _lines.ToArray() };
    }
}
