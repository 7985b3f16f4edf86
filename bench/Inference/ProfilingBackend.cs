using System.Diagnostics;
using P2P.Inference.Kernels;

namespace P2P.Bench.Inference;

/// <summary>Wraps a backend and adds up wall time per operation (products keyed by their shape), to see where prefill goes.</summary>
internal sealed unsafe class ProfilingBackend(IComputeBackend inner) : IComputeBackend
{
    private readonly Dictionary<string, (double Seconds, long Calls)> _totals = [];

    public ComputeMode Mode => inner.Mode;
    public int Threads => inner.Threads;
    public KvFormat KvFormat => inner.KvFormat;

    public IReadOnlyDictionary<string, (double Seconds, long Calls)> Totals => _totals;

    public void Reset() => _totals.Clear();

    private void Add(string key, long start)
    {
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        _totals[key] = _totals.TryGetValue(key, out var t) ? (t.Seconds + seconds, t.Calls + 1) : (seconds, 1);
    }

    public void MatMul(float* x, int rows, WeightMatrix weight, float* y)
    {
        long start = Stopwatch.GetTimestamp();
        inner.MatMul(x, rows, weight, y);
        Add($"matmul {rows}×{weight.Rows}×{weight.Cols}", start);
    }

    public void RmsNorm(float* x, float* weight, float* y, int rows, int dim, float eps)
    {
        long start = Stopwatch.GetTimestamp();
        inner.RmsNorm(x, weight, y, rows, dim, eps);
        Add("rmsnorm", start);
    }

    public void Add(float* y, float* x, int count)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Add(y, x, count);
        Add("residual add", start);
    }

    public void Attention(in AttentionBatch batch)
    {
        long start = Stopwatch.GetTimestamp();
        inner.Attention(batch);
        Add($"attention ×{batch.Rows}", start);
    }

    public void ParallelFor(int count, Action<int> body)
    {
        long start = Stopwatch.GetTimestamp();
        inner.ParallelFor(count, body);
        Add($"parallel region ×{count}", start);
    }

    public void ApplyRope(float* vector, int heads, int headDim, float* cos, float* sin) => inner.ApplyRope(vector, heads, headDim, cos, sin);
    public float Dot(float* a, float* b, int count) => inner.Dot(a, b, count);
    public void MultiplyAdd(float alpha, float* x, float* y, int count) => inner.MultiplyAdd(alpha, x, y, count);
    public void Softmax(float* values, int count) => inner.Softmax(values, count);
    public void SiluMultiply(float* gate, float* up, float* y, int count) => inner.SiluMultiply(gate, up, y, count);
    public float Exp(float x) => inner.Exp(x);
}
