using System.Runtime.InteropServices;

namespace P2P.Inference.Kernels;

/// <summary>
/// Memory for a shard's small weight matrices (under 2 MB each: the per-layer products of small models, norm weights)
/// carved from 16 MB chunks on transparent huge pages, so that they stream like the large ones
/// (<see cref="WeightMatrix.AllocateHugePages"/>). Each slice is 64-byte aligned; everything is freed at once.
/// </summary>
internal sealed unsafe class WeightArena : IDisposable
{
    private const long ChunkBytes = 16L << 20;

    private readonly List<nint> _chunks = [];
    private byte* _next;
    private long _left;

    public WeightMatrix Matrix(int rows, int cols)
    {
        long bytes = ((long)rows * cols * sizeof(float) + 63) & ~63L;
        if (bytes > _left)
        {
            long size = Math.Max(ChunkBytes, bytes);
            _next = (byte*)WeightMatrix.AllocateHugePages(size);
            _chunks.Add((nint)_next);
            _left = (size + WeightMatrix.HugePageBytes - 1) / WeightMatrix.HugePageBytes * WeightMatrix.HugePageBytes;
        }
        var matrix = new WeightMatrix(rows, cols, (float*)_next, hugePages: true);
        _next += bytes;
        _left -= bytes;
        return matrix;
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks) NativeMemory.AlignedFree((void*)chunk);
        _chunks.Clear();
        _left = 0;
    }
}
