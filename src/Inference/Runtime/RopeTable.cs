using System.Runtime.CompilerServices;
using P2P.Inference.Numerics;

namespace P2P.Inference.Runtime;

/// <summary>
/// cos/sin of the rotary angles, in the Hugging Face float32 recipe but with deterministic functions:
/// invFreq[i] = (float)(1 / θ^(2i/d)), angle = (float)p · invFreq[i] (a float product), and cos/sin of that float
/// angle computed by <see cref="DeterministicMath"/> and rounded to float. Grows on demand, by powers of two.
/// </summary>
internal sealed class RopeTable
{
    private readonly float[] _inverseFrequency;
    private readonly Lock _growLock = new();
    private float[] _cos = [];
    private float[] _sin = [];

    public RopeTable(int headDim, double theta)
    {
        Half = headDim / 2;
        _inverseFrequency = new float[Half];
        for (int i = 0; i < Half; i++)
            _inverseFrequency[i] = (float)(1.0 / DeterministicMath.Pow(theta, 2.0 * i / headDim));
    }

    public int Half { get; }
    public int Capacity { get; private set; }

    public void EnsureCapacity(int positions)
    {
        if (positions <= Capacity) return;
        lock (_growLock)
        {
            if (positions <= Capacity) return;
            int capacity = Math.Max(64, (int)Math.Min(int.MaxValue / 2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)positions)));
            var cos = new float[(long)capacity * Half];
            var sin = new float[(long)capacity * Half];
            for (int p = 0; p < capacity; p++)
            {
                for (int i = 0; i < Half; i++)
                {
                    float angle = p * _inverseFrequency[i];
                    cos[p * Half + i] = (float)DeterministicMath.Cos(angle);
                    sin[p * Half + i] = (float)DeterministicMath.Sin(angle);
                }
            }
            _cos = cos;
            _sin = sin;
            Capacity = capacity;
        }
    }

    /// <summary>Rotates each head of a [heads × headDim] vector in place at a position, with the backend's RoPE kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Apply(Kernels.IComputeBackend backend, float* vector, int heads, int headDim, int position)
    {
        fixed (float* cosRow = &_cos[position * Half])
        fixed (float* sinRow = &_sin[position * Half])
            backend.ApplyRope(vector, heads, headDim, cosRow, sinRow);
    }
}
