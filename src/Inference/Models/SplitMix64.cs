namespace P2P.Inference.Models;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): state advances by the golden gamma 0x9E3779B97F4A7C15 and each output is
/// Mix(state). Because output i is Mix(seed + (i+1)·gamma), any element of a stream can be computed directly.
/// </summary>
public struct SplitMix64(ulong seed)
{
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state = seed;

    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Skips <paramref name="count"/> outputs, as if <see cref="Next"/> had been called that many times.</summary>
    public void Advance(ulong count) => _state += count * Gamma;

    /// <summary>A double uniform in [0, 1) from the top 53 bits of the next output.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Element i (0-based) of the stream that starts from seed.</summary>
    public static ulong At(ulong seed, ulong index) => Mix(seed + (index + 1) * Gamma);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64-bit FNV-1a of a string's UTF-8 bytes (names tensors in the seeded-weight PRF).</summary>
    public static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
