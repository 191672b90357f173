using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SkateBot.Tests.Features.Discord;

/// <summary>One log call as every sink could see it: the formatted line, the structured values, the scopes and the
/// exception with its inner exceptions and stack (so a secret leaking through any of them is caught).</summary>
public sealed record RecordedLog(string Category, LogLevel Level, string Message, IReadOnlyList<string> Values, IReadOnlyList<string> Scopes, string? Exception)
{
    public IEnumerable<string> AllText() => [Message, .. Values, .. Scopes, .. Exception is null ? Array.Empty<string>() : [Exception]];
}

/// <summary>Records everything logged through it, at every level, scopes included.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => $"{p.Key}={p.Value}").ToList() : [$"{state}"];
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) =>
            {
                list.Add($"{scope}");
                if (scope is IEnumerable<KeyValuePair<string, object?>> scopePairs) list.AddRange(scopePairs.Select(p => $"{p.Key}={p.Value}"));
            }, scopes);
            owner._entries.Enqueue(new RecordedLog(category, logLevel, formatter(state, exception), values, scopes, exception?.ToString()));
        }
    }
}
