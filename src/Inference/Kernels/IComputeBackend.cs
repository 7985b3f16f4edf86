namespace P2P.Inference.Kernels;

/// <summary>
/// The numeric primitives a transformer forward pass needs. The CPU backend implements them; a GPU backend can be
/// added behind the same interface. All pointers address float32 data in row-major layout.
/// </summary>
public unsafe interface IComputeBackend
{
    ComputeMode Mode { get; }

    /// <summary>Worker threads used for row-parallel kernels.</summary>
    int Threads { get; }

    /// <summary>How sessions' caches store keys and values for this backend's <see cref="Attention"/>.</summary>
    KvFormat KvFormat { get; }

    /// <summary>y[r, o] = Σ_i x[r, i] · W[o, i] for r &lt; rows; x has W.Cols columns, y has W.Rows columns.</summary>
    void MatMul(float* x, int rows, WeightMatrix weight, float* y);

    /// <summary>y[r] = x[r] / sqrt(mean(x[r]²) + eps) ⊙ weight, for each of the rows.</summary>
    void RmsNorm(float* x, float* weight, float* y, int rows, int dim, float eps);

    /// <summary>
    /// Rotary embedding in place on [heads × headDim] in the rotate_half layout: for i &lt; headDim/2,
    /// v[i] = v[i]·cos[i] − v[i+d/2]·sin[i] and v[i+d/2] = v[i+d/2]·cos[i] + v[i]·sin[i].
    /// </summary>
    void ApplyRope(float* vector, int heads, int headDim, float* cos, float* sin);

    /// <summary>Sum of a[i]·b[i] in the backend's reduction order.</summary>
    float Dot(float* a, float* b, int count);

    /// <summary>y[i] = fma(alpha, x[i], y[i]).</summary>
    void MultiplyAdd(float alpha, float* x, float* y, int count);

    /// <summary>In-place softmax.</summary>
    void Softmax(float* values, int count);

    /// <summary>y[i] = silu(gate[i]) · up[i].</summary>
    void SiluMultiply(float* gate, float* up, float* y, int count);

    /// <summary>y[i] += x[i].</summary>
    void Add(float* y, float* x, int count);

    /// <summary>e^x as the backend computes it (managed deterministic exp, or the platform's).</summary>
    float Exp(float x);

    /// <summary>
    /// Causal self-attention of one layer: for every row r of each sequence at position p and every query head h,
    /// Output[r, h] = Σ_{t ≤ p} softmax_t(q·k_t / √HeadDim) · v_t over the sequence's cached keys and values. A
    /// deterministic backend gives the bits of that sum taken in increasing t with this backend's Dot, Softmax and
    /// MultiplyAdd, however it blocks the rows.
    /// </summary>
    void Attention(in AttentionBatch batch);

    /// <summary>Runs body(i) for i in [0, count) on up to <see cref="Threads"/> threads; results must not depend on the split.</summary>
    void ParallelFor(int count, Action<int> body);
}
