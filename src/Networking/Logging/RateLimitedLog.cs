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
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly TimeSpan window;
    private readonly int burst;
    private readonly string summaryVerb;
    private readonly string summaryNoun;
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> countsByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> writtenByReason = new(StringComparer.Ordinal);
    private ITimer? timer;
    private bool disposed;
    private DateTimeOffset windowStart;
    private long held;

    /// <param name="summaryVerb">First word of the summary ("rejected").</param>
    /// <param name="summaryNoun">What was counted ("inbound connections").</param>
    public RateLimitedLog(ILogger logger, TimeProvider time, TimeSpan window, int burst, string summaryVerb, string summaryNoun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        this.logger = logger;
        this.time = time;
        this.window = window;
        this.burst = burst;
        this.summaryVerb = summaryVerb;
        this.summaryNoun = summaryNoun;
        windowStart = time.GetUtcNow();
    }

    /// <summary>Counts one event under <paramref name="reason"/> (a short category such as "handshake timeout") and writes it with <paramref name="write"/> while the window's burst lasts.</summary>
    public void Record(string reason, Action<ILogger> write)
    {
        bool writeNow;
        lock (gate)
        {
            // The summary must come even when the events stop, so from the first event on a timer closes each window.
            if (!disposed) timer ??= time.CreateTimer(_ => CloseWindowIfDue(), null, window, window);
            CloseWindowIfDueLocked();
            countsByReason[reason] = countsByReason.GetValueOrDefault(reason) + 1;
            var written = writtenByReason.GetValueOrDefault(reason);
            writeNow = written < burst;
            if (writeNow) writtenByReason[reason] = written + 1;
            else held++;
        }
        if (writeNow) write(logger);
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            timer?.Dispose();
        }
    }

    private void CloseWindowIfDue()
    {
        lock (gate) CloseWindowIfDueLocked();
    }

    private void CloseWindowIfDueLocked()
    {
        var now = time.GetUtcNow();
        if (now - windowStart < window) return;
        if (held > 0)
        {
            var total = countsByReason.Values.Sum();
            var breakdown = string.Join(", ", countsByReason.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value.ToString("N0", CultureInfo.InvariantCulture)} {c.Key}"));
            logger.LogWarning("{Verb} {Total} {Noun} in the last {Seconds} s: {Breakdown}",
                summaryVerb, total.ToString("N0", CultureInfo.InvariantCulture), summaryNoun, Math.Round((now - windowStart).TotalSeconds), breakdown);
        }
        countsByReason.Clear();
        writtenByReason.Clear();
        held = 0;
        windowStart = now;
    }
}
