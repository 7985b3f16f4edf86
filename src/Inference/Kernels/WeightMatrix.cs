using System.Runtime.InteropServices;

namespace P2P.Inference.Kernels;

/// <summary>A row-major float32 matrix in 64-byte aligned native memory (rows = output features, cols = inputs).</summary>
public sealed unsafe class WeightMatrix : IDisposable
{
    private float* _data;

    public WeightMatrix(int rows, int cols)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"matrix shape must be positive, got [{rows}, {cols}]");
        Rows = rows;
        Cols = cols;
        _data = (float*)NativeMemory.AlignedAlloc((nuint)((long)rows * cols * sizeof(float)), 64);
    }

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
}
