using System.Globalization;
using Microsoft.Extensions.Logging;

namespace P2P.Networking.Logging;

/// <summary>
/// Throttles one kind of log event whose rate a remote party controls (rejected connections): per window the first
/// <c>burst</c> events of each reason are written as they come, the rest only counted, and at the end of a window in
/// which events were held back one summary line gives the total by reason, e.g.
/// "rejected 12 345 inbound connections in the last 10 s: 12 000 handshake timeout, 345 limit".
/// </summary>
public sealed class RateLimitedLog : IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _burst;
    private readonly string _summaryVerb;
    private readonly string _summaryNoun;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _countsByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _writtenByReason = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private bool _disposed;
    private DateTimeOffset _windowStart;
    private long _held;

    /// <param name="summaryVerb">First word of the summary ("rejected").</param>
    /// <param name="summaryNoun">What was counted ("inbound connections").</param>
    public RateLimitedLog(ILogger logger, TimeProvider time, TimeSpan window, int burst, string summaryVerb, string summaryNoun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        _logger = logger;
        _time = time;
        _window = window;
        _burst = burst;
        _summaryVerb = summaryVerb;
        _summaryNoun = summaryNoun;
        _windowStart = time.GetUtcNow();
    }

    /// <summary>Counts one event under <paramref name="reason"/> (a short category such as "handshake timeout") and writes it with <paramref name="write"/> while the window's burst lasts.</summary>
    public void Record(string reason, Action<ILogger> write)
    {
        bool writeNow;
        lock (_gate)
        {
            // The summary must come even when the events stop, so from the first event on a timer closes each window.
            if (!_disposed) _timer ??= _time.CreateTimer(_ => CloseWindowIfDue(), null, _window, _window);
            CloseWindowIfDueLocked();
            _countsByReason[reason] = _countsByReason.GetValueOrDefault(reason) + 1;
            var written = _writtenByReason.GetValueOrDefault(reason);
            writeNow = written < _burst;
            if (writeNow) _writtenByReason[reason] = written + 1;
            else _held++;
        }
        if (writeNow) write(_logger);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    private void CloseWindowIfDue()
    {
        lock (_gate) CloseWindowIfDueLocked();
    }

    private void CloseWindowIfDueLocked()
    {
        var now = _time.GetUtcNow();
        if (now - _windowStart < _window) return;
        if (_held > 0)
        {
            var total = _countsByReason.Values.Sum();
            var breakdown = string.Join(", ", _countsByReason.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value.ToString("N0", CultureInfo.InvariantCulture)} {c.Key}"));
            _logger.LogWarning("{Verb} {Total} {Noun} in the last {Seconds} s: {Breakdown}",
                _summaryVerb, total.ToString("N0", CultureInfo.InvariantCulture), _summaryNoun, Math.Round((now - _windowStart).TotalSeconds), breakdown);
        }
        _countsByReason.Clear();
        _writtenByReason.Clear();
        _held = 0;
        _windowStart = now;
    }
}
