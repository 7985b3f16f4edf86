using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Support;

/// <summary>
/// The CPU backend with a gate before attention: a forward pass stops at its first layer's attention (with its
/// session's caches reserved and written) until the test opens the gate, so a test can act while the pass runs.
/// </summary>
public sealed class GatedBackend(IComputeBackend inner) : ForwardingBackend(inner)
{
    private readonly ManualResetEventSlim _open = new(false);
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a pass reaches the closed gate (the gate starts closed).</summary>
    public Task Entered => Volatile.Read(ref _entered).Task;

    /// <summary>Lets every pass through, until <see cref="Close"/>.</summary>
    public void Open() => _open.Set();

    /// <summary>Stops the next pass again; <see cref="Entered"/> then waits for that pass.</summary>
    public void Close()
    {
        Volatile.Write(ref _entered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _open.Reset();
    }

    public override void Attention(in AttentionBatch batch)
    {
        if (!_open.IsSet) Volatile.Read(ref _entered).TrySetResult();
        if (!_open.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the test never opened the gate");
        Inner.Attention(batch);
    }
}
