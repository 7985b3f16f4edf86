namespace P2P.Inference.Kernels;

/// <summary>How the engine trades reproducibility for speed.</summary>
public enum ComputeMode
{
    /// <summary>Fixed reduction order and managed transcendental functions: identical bits on every machine.</summary>
    Deterministic,

    /// <summary>OpenBLAS GEMM (when present) and vectorised platform math: faster, agrees to float rounding.</summary>
    Fast,
}
