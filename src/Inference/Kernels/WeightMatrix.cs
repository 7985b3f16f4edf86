using System.Runtime.InteropServices;

namespace P2P.Inference.Kernels;

/// <summary>A row-major float32 matrix in 64-byte aligned native memory (rows = output features, cols = inputs).</summary>
public sealed unsafe class WeightMatrix : IDisposable
{
    private const int MadviseHugePage = 14;

    private readonly bool _owned;
    private float* _data;

    public WeightMatrix(int rows, int cols)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"matrix shape must be positive, got [{rows}, {cols}]");
        Rows = rows;
        Cols = cols;
        long bytes = (long)rows * cols * sizeof(float);
        if (UseHugePages && bytes >= HugePageBytes && OperatingSystem.IsLinux())
        {
            _data = (float*)AllocateHugePages(bytes);
            HugePages = true;
        }
        else
        {
            _data = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        }
        _owned = true;
    }

    /// <summary>A matrix in memory owned by someone else (a <see cref="WeightArena"/>), not freed by Dispose.</summary>
    internal WeightMatrix(int rows, int cols, float* data, bool hugePages)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"matrix shape must be positive, got [{rows}, {cols}]");
        Rows = rows;
        Cols = cols;
        _data = data;
        HugePages = hugePages;
    }

    /// <summary>Bytes from which a matrix gets its own huge pages; smaller ones share an arena's.</summary>
    internal const long HugePageBytes = 2L << 20;

    /// <summary>
    /// bytes rounded up to 2 MB, 2 MB-aligned, with transparent huge pages asked for before the first touch. Decode streams
    /// every weight once per token: on 4 KB pages that is a TLB miss every 4 KB, and the hardware prefetchers stop at
    /// each page boundary. The kernel falls back to small pages silently when it has none to give. Free with
    /// NativeMemory.AlignedFree.
    /// </summary>
    internal static void* AllocateHugePages(long bytes)
    {
        long rounded = (bytes + HugePageBytes - 1) / HugePageBytes * HugePageBytes;
        void* data = NativeMemory.AlignedAlloc((nuint)rounded, (nuint)HugePageBytes);
        _ = Madvise(data, (nuint)rounded, MadviseHugePage);
        return data;
    }

    /// <summary>Whether weights ask for transparent huge pages (on by default; off only to compare).</summary>
    public static bool UseHugePages { get; set; } = true;

    /// <summary>Whether this matrix's memory asked for huge pages (its own, or its arena's).</summary>
    public bool HugePages { get; }

    public int Rows { get; }
    public int Cols { get; }
    public long Length => (long)Rows * Cols;

    public float* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(WeightMatrix));

    public Span<float> Row(int row) => new(Data + (long)row * Cols, Cols);

    /// <summary>The whole matrix as a span (the matrices of a Llama model fit in int32 element counts).</summary>
    public Span<float> AsSpan() => new(Data, checked((int)Length));

    public void Dispose()
    {
        if (_data != null)
        {
            if (_owned) NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);
}
