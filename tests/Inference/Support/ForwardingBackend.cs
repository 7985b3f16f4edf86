using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Support;

/// <summary>A backend that hands every call to another; tests derive from it to replace or instrument one primitive.</summary>
public abstract unsafe class ForwardingBackend(IComputeBackend inner) : IComputeBackend
{
    protected IComputeBackend Inner { get; } = inner;

    public ComputeMode Mode => Inner.Mode;
    public int Threads => Inner.Threads;
    public KvFormat KvFormat => Inner.KvFormat;
    public virtual void MatMul(float* x, int rows, WeightMatrix weight, float* y) => Inner.MatMul(x, rows, weight, y);
    public virtual void RmsNorm(float* x, float* weight, float* y, int rows, int dim, float eps) => Inner.RmsNorm(x, weight, y, rows, dim, eps);
    public virtual void ApplyRope(float* vector, int heads, int headDim, float* cos, float* sin) => Inner.ApplyRope(vector, heads, headDim, cos, sin);
    public virtual float Dot(float* a, float* b, int count) => Inner.Dot(a, b, count);
    public virtual void MultiplyAdd(float alpha, float* x, float* y, int count) => Inner.MultiplyAdd(alpha, x, y, count);
    public virtual void Softmax(float* values, int count) => Inner.Softmax(values, count);
    public virtual void SiluMultiply(float* gate, float* up, float* y, int count) => Inner.SiluMultiply(gate, up, y, count);
    public virtual void Add(float* y, float* x, int count) => Inner.Add(y, x, count);
    public virtual float Exp(float x) => Inner.Exp(x);
    public virtual void Attention(in AttentionBatch batch) => Inner.Attention(batch);
    public virtual void ParallelFor(int count, Action<int> body) => Inner.ParallelFor(count, body);
}
