using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace P2P.Bench.Inference;

/// <summary>Sustained read bandwidth: threads each sum their part of a buffer far larger than the caches.</summary>
internal static unsafe class BandwidthBenchmark
{
    /// <summary>
    /// The machine's read bandwidth as the decode bound uses it: the median of several separately timed reads of the
    /// whole buffer (≥ 1 GiB) on all threads, with the slowest and fastest read for the spread. A median, not a best:
    /// one lucky read (or one disturbed by other load) must not move the bound.
    /// </summary>
    public static (double Median, double Slowest, double Fastest) Robust(int threads, long bytes = 1L << 30, int reads = 9)
    {
        using var buffer = new Buffer(bytes);
        buffer.Read(threads);
        var rates = new double[reads];
        for (int i = 0; i < reads; i++)
        {
            var clock = Stopwatch.StartNew();
            buffer.Read(threads);
            rates[i] = bytes / clock.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(rates);
        return (rates[reads / 2], rates[0], rates[^1]);
    }

    /// <summary>
    /// A 1 GiB buffer kept for repeated measurements: the cold runs measure the bound again before each process, so
    /// that each run's ratio is taken against the bandwidth of its own moment on a shared machine.
    /// </summary>
    public sealed class Meter(int threads, long bytes = 1L << 30) : IDisposable
    {
        private readonly Buffer _buffer = new(bytes);

        /// <summary>The median of a few timed reads of the whole buffer, GB/s.</summary>
        public double Measure(int reads = 3)
        {
            _buffer.Read(threads);
            var rates = new double[reads];
            for (int i = 0; i < reads; i++)
            {
                var clock = Stopwatch.StartNew();
                _buffer.Read(threads);
                rates[i] = bytes / clock.Elapsed.TotalSeconds / 1e9;
            }
            Array.Sort(rates);
            return rates[reads / 2];
        }

        public void Dispose() => _buffer.Dispose();
    }

    private sealed class Buffer : IDisposable
    {
        private readonly float* _data;
        private readonly long _count;
        private readonly float[] _sums = new float[64];

        public Buffer(long bytes)
        {
            _count = bytes / sizeof(float);
            _data = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            for (long i = 0; i < _count; i += 1 << 28) new Span<float>(_data + i, (int)Math.Min(1 << 28, _count - i)).Fill(1f);
        }

        public void Read(int threads)
        {
            float* data = _data;
            long count = _count;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                long begin = count / threads * t, end = t == threads - 1 ? count : count / threads * (t + 1);
                Vector256<float> a = default, b = default, c = default, d = default;
                for (long i = begin; i + 32 <= end; i += 32)
                {
                    a += Vector256.Load(data + i);
                    b += Vector256.Load(data + i + 8);
                    c += Vector256.Load(data + i + 16);
                    d += Vector256.Load(data + i + 24);
                }
                _sums[t % _sums.Length] = Vector256.Sum(a + b + c + d);
            });
        }

        public void Dispose() => NativeMemory.AlignedFree(_data);
    }
}
