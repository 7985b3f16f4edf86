using System.Runtime.InteropServices;

namespace P2P.Inference.Runtime;

/// <summary>Keys and values of one layer for one session: [capacity × kvDim] each, in native memory.</summary>
internal sealed unsafe class LayerKvCache : IDisposable
{
    public LayerKvCache(int kvDim) => KvDim = kvDim;

    public int KvDim { get; }
    public int Capacity { get; private set; }
    public float* Keys { get; private set; }
    public float* Values { get; private set; }

    public long BytesFor(int capacity) => 2L * capacity * KvDim * sizeof(float);

    public void Resize(int capacity)
    {
        nuint bytes = (nuint)((long)capacity * KvDim * sizeof(float));
        Keys = (float*)NativeMemory.Realloc(Keys, bytes);
        Values = (float*)NativeMemory.Realloc(Values, bytes);
        Capacity = capacity;
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
