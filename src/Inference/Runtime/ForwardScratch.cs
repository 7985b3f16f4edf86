using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using P2P.Inference.Models;

namespace P2P.Inference.Runtime;

/// <summary>
/// Activation buffers for one forward pass over a batch of rows, in aligned native memory. Made once per decode step:
/// plain loops and optimised code from the first call, so nothing here is recompiled while tokens are generated.
/// </summary>
internal sealed unsafe class ForwardScratch : IDisposable
{
    private readonly float* _block;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ForwardScratch(ModelConfig c, int rows)
    {
        long qkv = c.QueryDim + 2L * c.KvDim;
        long[] sizes = [c.HiddenSize, qkv, c.QueryDim, c.HiddenSize, 2L * c.IntermediateSize, c.IntermediateSize];
        long total = 0;
        foreach (long size in sizes) total += Align(size * rows);
        _block = (float*)NativeMemory.AlignedAlloc((nuint)(total * sizeof(float)), 64);
        float* p = _block;
        Normed = p; p += Align(sizes[0] * rows);
        Qkv = p; p += Align(sizes[1] * rows);
        Attention = p; p += Align(sizes[2] * rows);
        Temp = p; p += Align(sizes[3] * rows);
        GateUp = p; p += Align(sizes[4] * rows);
        Activated = p;
    }

    private static long Align(long floats) => (floats + 15) & ~15L;

    public float* Normed { get; }
    public float* Qkv { get; }
    public float* Attention { get; }
    public float* Temp { get; }
    public float* GateUp { get; }
    public float* Activated { get; }

    public void Dispose() => NativeMemory.AlignedFree(_block);
}
