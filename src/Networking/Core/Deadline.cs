namespace P2P.Networking.Core;

/// <summary>A cancellation token that fires after a timeout on the injected clock, or when either given token fires.</summary>
public sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public Deadline(TimeProvider time, TimeSpan timeout, CancellationToken first = default, CancellationToken second = default)
    {
        Timeout = timeout;
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(first, second, _timer.Token);
    }

    public TimeSpan Timeout { get; }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the timeout (not one of the given tokens) fired.</summary>
    public bool Expired => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
