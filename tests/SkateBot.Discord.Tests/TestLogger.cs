using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SkateBot.Discord.Tests;

/// <summary>Captures every log line (formatted message and exception text) at every level.</summary>
public sealed class TestLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        _lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {structured} {exception}");
    }
}
