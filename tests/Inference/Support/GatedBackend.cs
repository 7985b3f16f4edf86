using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Support;

/// <summary>
/// The CPU backend with a gate before attention: a forward pass stops at its first layer's attention (with its
/// session's caches reserved and written) until the test opens the gate, so a test can act while the pass runs.
/// </summary>
public sealed unsafe class GatedBackend(IComputeBackend inner) : IComputeBackend
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

    public ComputeMode Mode => inner.Mode;
    public int Threads => inner.Threads;
    public KvFormat KvFormat => inner.KvFormat;
    public void MatMul(float* x, int rows, WeightMatrix weight, float* y) => inner.MatMul(x, rows, weight, y);
    public void RmsNorm(float* x, float* weight, float* y, int rows, int dim, float eps) => inner.RmsNorm(x, weight, y, rows, dim, eps);
    public void ApplyRope(float* vector, int heads, int headDim, float* cos, float* sin) => inner.ApplyRope(vector, heads, headDim, cos, sin);
    public float Dot(float* a, float* b, int count) => inner.Dot(a, b, count);
    public void MultiplyAdd(float alpha, float* x, float* y, int count) => inner.MultiplyAdd(alpha, x, y, count);
    public void Softmax(float* values, int count) => inner.Softmax(values, count);
    public void SiluMultiply(float* gate, float* up, float* y, int count) => inner.SiluMultiply(gate, up, y, count);
    public void Add(float* y, float* x, int count) => inner.Add(y, x, count);
    public float Exp(float x) => inner.Exp(x);
    public void ParallelFor(int count, Action<int> body) => inner.ParallelFor(count, body);

    public void Attention(in AttentionBatch batch)
    {
        if (!_open.IsSet) Volatile.Read(ref _entered).TrySetResult();
        if (!_open.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the test never opened the gate");
        inner.Attention(batch);
    }
}
