namespace P2P.Inference.Kernels;

/// <summary>How a session's cached keys and values are stored.</summary>
public enum KvFormat
{
    /// <summary>float32, as computed: deterministic mode's only format (its bits depend on it).</summary>
    Float32,

    /// <summary>
    /// IEEE binary16, rounded to nearest even: half the bytes to read per decoded token at long contexts, and half the
    /// memory per session, at a relative error of at most 2⁻¹¹ per stored value. Fast mode's default.
    /// </summary>
    Float16,
}
