using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SkateBot.Reddit.Tests;

/// <summary>Collects every formatted log line (all levels) so tests can check that no secret is ever logged.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class ListLogger(ListLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue(formatter(state, exception) + " " + exception?.Message);
    }
}
