using System.Runtime.InteropServices;

namespace P2P.Inference.Kernels;

/// <summary>A row-major float32 matrix in 64-byte aligned native memory (rows = output features, cols = inputs).</summary>
public sealed unsafe class WeightMatrix : IDisposable
{
    private const long HugePageBytes = 2L << 20;
    private const int MadviseHugePage = 14;

    private float* _data;

    public WeightMatrix(int rows, int cols)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"matrix shape must be positive, got [{rows}, {cols}]");
        Rows = rows;
        Cols = cols;
        long bytes = (long)rows * cols * sizeof(float);
        if (UseHugePages && bytes >= HugePageBytes && OperatingSystem.IsLinux())
        {
            // Decode streams every weight once per token: on 4 KB pages that is a TLB miss every 4 KB, and the hardware
            // prefetchers stop at each page boundary. Transparent huge pages (2 MB), asked for before the first touch,
            // remove both; the kernel falls back to small pages silently when it has none to give.
            long rounded = (bytes + HugePageBytes - 1) / HugePageBytes * HugePageBytes;
            _data = (float*)NativeMemory.AlignedAlloc((nuint)rounded, (nuint)HugePageBytes);
            _ = Madvise(_data, (nuint)rounded, MadviseHugePage);
            HugePages = true;
        }
        else
        {
            _data = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        }
    }

    /// <summary>Whether matrices of 2 MB and more ask for transparent huge pages (on by default; off only to compare).</summary>
    public static bool UseHugePages { get; set; } = true;

    /// <summary>Whether this matrix asked for huge pages.</summary>
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
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);
}
