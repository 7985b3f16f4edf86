namespace P2P.Inference.Serialization;

/// <summary>Element encoding of serialized hidden states.</summary>
public enum HiddenStateFormat : byte
{
    /// <summary>IEEE-754 binary32, little-endian: exact.</summary>
    Float32 = 0,

    /// <summary>bfloat16 (upper 16 bits of binary32, round-to-nearest-even), little-endian: half the bytes, lossy.</summary>
    BFloat16 = 1,
}
