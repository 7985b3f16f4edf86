using System.Runtime.InteropServices;

namespace P2P.Inference.Runtime;

/// <summary>
/// Keys and values of one layer for one session, in native memory, head-major: [kvHeads × capacity × headDim] each,
/// so attention streams one head's positions contiguously.
/// </summary>
internal sealed unsafe class LayerKvCache(int kvHeads, int headDim) : IDisposable
{
    public int KvHeads { get; } = kvHeads;
    public int HeadDim { get; } = headDim;
    public int Capacity { get; private set; }
    public float* Keys { get; private set; }
    public float* Values { get; private set; }

    /// <summary>Floats between the first positions of consecutive heads.</summary>
    public long HeadStride => (long)Capacity * HeadDim;

    public long BytesFor(int capacity) => 2L * capacity * KvHeads * HeadDim * sizeof(float);

    /// <summary>Stores one position's keys and values, each given as kvHeads × headDim floats (head after head).</summary>
    public void Write(int position, float* keys, float* values)
    {
        long stride = HeadStride, at = (long)position * HeadDim;
        nuint bytes = (nuint)(HeadDim * sizeof(float));
        for (int h = 0; h < KvHeads; h++)
        {
            NativeMemory.Copy(keys + h * HeadDim, Keys + h * stride + at, bytes);
            NativeMemory.Copy(values + h * HeadDim, Values + h * stride + at, bytes);
        }
    }

    /// <summary>Grows (or shrinks) to capacity positions per head, keeping the positions both sizes hold.</summary>
    public void Resize(int capacity)
    {
        Keys = Regrow(Keys, capacity);
        Values = Regrow(Values, capacity);
        Capacity = capacity;
    }

    private float* Regrow(float* old, int capacity)
    {
        var grown = (float*)NativeMemory.Alloc((nuint)((long)capacity * KvHeads * HeadDim * sizeof(float)));
        if (old != null)
        {
            long kept = (long)Math.Min(capacity, Capacity) * HeadDim;
            for (int h = 0; h < KvHeads; h++)
                NativeMemory.Copy(old + h * HeadStride, grown + h * (long)capacity * HeadDim, (nuint)(kept * sizeof(float)));
            NativeMemory.Free(old);
        }
        return grown;
    }

    public void Dispose()
    {
        NativeMemory.Free(Keys);
        NativeMemory.Free(Values);
        Keys = null;
        Values = null;
        Capacity = 0;
    }
}
