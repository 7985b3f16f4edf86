using System.Diagnostics;

namespace P2P.Inference.Runtime;

/// <summary>
/// Keeps a shard's native weights alive while calls use them: a node that stops (or unloads a model) while a pass is
/// running waits for the pass instead of freeing the weights under it. Calls after disposal throw
/// <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class ShardLifetime
{
    /// <summary>How long disposal waits for running calls; past it the memory is left to the process's exit, never freed in use.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private int _users;
    private bool _disposed;

    /// <summary>Whether disposal has begun (new calls are refused from then on).</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_gate) return _disposed;
        }
    }

    /// <summary>Marks a call in progress until the returned value is disposed.</summary>
    public Use Enter()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(TransformerShard));
            _users++;
        }
        return new Use(this);
    }

    /// <summary>Refuses new calls, waits (up to <see cref="DrainLimit"/>) for running ones, then frees; false when calls outlived the wait and nothing was freed.</summary>
    public bool Dispose(Action free)
    {
        lock (_gate)
        {
            if (_disposed) return true;
            _disposed = true;
            long started = Stopwatch.GetTimestamp();
            while (_users > 0)
            {
                var left = DrainLimit - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(_gate, left);
            }
        }
        free();
        return true;
    }

    private void Exit()
    {
        lock (_gate)
        {
            if (--_users == 0 && _disposed) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>One call's hold on the weights.</summary>
    public readonly struct Use(ShardLifetime lifetime) : IDisposable
    {
        public void Dispose() => lifetime.Exit();
    }
}
