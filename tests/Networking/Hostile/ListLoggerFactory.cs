using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace P2P.Networking.Tests.Hostile;

/// <summary>Keeps every formatted log line so tests can check that a reason was logged.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public async Task<string> WaitForAsync(string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var line = Lines.FirstOrDefault(l => l.Contains(fragment, StringComparison.OrdinalIgnoreCase));
            if (line is not null)
            {
                return line;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no log line containing '{fragment}'; got:\n{string.Join("\n", Lines)}");
            await Task.Delay(20);
        }
    }

    private sealed class ListLogger(ListLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
