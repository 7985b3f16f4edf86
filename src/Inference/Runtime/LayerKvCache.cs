using System.Runtime.InteropServices;
using P2P.Inference.Kernels;

namespace P2P.Inference.Runtime;

/// <summary>
/// Keys and values of one layer for one session, in native memory, head-major: [kvHeads × capacity × headDim] each,
/// so attention streams one head's positions contiguously; elements are float32 or binary16 (<see cref="KvFormat"/>).
/// </summary>
internal sealed unsafe class LayerKvCache(int kvHeads, int headDim, KvFormat format) : IDisposable
{
    public int KvHeads { get; } = kvHeads;
    public int HeadDim { get; } = headDim;
    public KvFormat Format { get; } = format;
    public int Capacity { get; private set; }
    public void* Keys { get; private set; }
    public void* Values { get; private set; }

    private int ElementBytes => Format == KvFormat.Float16 ? sizeof(ushort) : sizeof(float);

    /// <summary>Elements between the first positions of consecutive heads.</summary>
    public long HeadStride => (long)Capacity * HeadDim;

    public long BytesFor(int capacity) => 2L * capacity * KvHeads * HeadDim * ElementBytes;

    /// <summary>Stores one position's keys and values, each given as kvHeads × headDim floats (head after head).</summary>
    public void Write(int position, float* keys, float* values)
    {
        long stride = HeadStride, at = (long)position * HeadDim;
        for (int h = 0; h < KvHeads; h++)
        {
            if (Format == KvFormat.Float16)
            {
                HalfPrecision.FromSingle(keys + h * HeadDim, (ushort*)Keys + h * stride + at, HeadDim);
                HalfPrecision.FromSingle(values + h * HeadDim, (ushort*)Values + h * stride + at, HeadDim);
            }
            else
            {
                nuint bytes = (nuint)(HeadDim * sizeof(float));
                NativeMemory.Copy(keys + h * HeadDim, (float*)Keys + h * stride + at, bytes);
                NativeMemory.Copy(values + h * HeadDim, (float*)Values + h * stride + at, bytes);
            }
        }
    }

    /// <summary>Grows (or shrinks) to capacity positions per head, keeping the positions both sizes hold.</summary>
    public void Resize(int capacity)
    {
        Keys = Regrow((byte*)Keys, capacity);
        Values = Regrow((byte*)Values, capacity);
        Capacity = capacity;
    }

    private byte* Regrow(byte* old, int capacity)
    {
        long headBytes = (long)HeadDim * ElementBytes;
        var grown = (byte*)NativeMemory.Alloc((nuint)((long)capacity * KvHeads * headBytes));
        if (old != null)
        {
            long kept = Math.Min(capacity, Capacity) * headBytes;
            for (int h = 0; h < KvHeads; h++)
                NativeMemory.Copy(old + (long)h * Capacity * headBytes, grown + (long)h * capacity * headBytes, (nuint)kept);
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
