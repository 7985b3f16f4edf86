namespace P2P.Consensus.Simulation.Events;

/// <summary>A discrete-event loop on virtual time: events run in (time, scheduling order), so a run is a pure function of its inputs.</summary>
public sealed class EventLoop
{
    private readonly PriorityQueue<Action, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    /// <summary>Virtual time of the event being run (or of the last one run), in microseconds since the start.</summary>
    public long NowMicros { get; private set; }

    /// <summary>Events run so far.</summary>
    public long EventsRun { get; private set; }

    public int Pending => _queue.Count;

    /// <summary>Runs <paramref name="action"/> <paramref name="delayMicros"/> (≥ 0) after now; equal times run in the order scheduled.</summary>
    public void After(long delayMicros, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayMicros);
        _queue.Enqueue(action, (checked(NowMicros + delayMicros), _sequence++));
    }

    /// <summary>Runs events until <paramref name="stop"/> holds, virtual time passes <paramref name="untilMicros"/>, the queue empties or <paramref name="maxEvents"/> have run.</summary>
    /// <returns>Why it stopped.</returns>
    public EventLoopStop Run(Func<bool> stop, long untilMicros, long maxEvents, CancellationToken cancellationToken = default)
    {
        long budget = maxEvents;
        while (true)
        {
            if (stop()) return EventLoopStop.Condition;
            if (!_queue.TryPeek(out _, out var key)) return EventLoopStop.Idle;
            if (key.Time > untilMicros) return EventLoopStop.TimeLimit;
            if (budget-- <= 0) return EventLoopStop.EventLimit;
            if ((EventsRun & 0x3ff) == 0) cancellationToken.ThrowIfCancellationRequested();
            var action = _queue.Dequeue();
            NowMicros = key.Time;
            EventsRun++;
            action();
        }
    }
}
