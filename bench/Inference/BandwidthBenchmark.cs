using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace P2P.Bench.Inference;

/// <summary>Sustained read bandwidth: threads each sum their part of a buffer far larger than the caches.</summary>
internal static unsafe class BandwidthBenchmark
{
    public static double GigabytesPerSecond(int threads, long bytes = 512L << 20, int repetitions = 12)
    {
        long count = bytes / sizeof(float);
        float* data = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        try
        {
            new Span<float>(data, (int)count).Fill(1f);
            var sums = new float[threads];
            var best = Measure.Best(() =>
            {
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
                    sums[t] = Vector256.Sum(a + b + c + d);
                });
            }, repetitions);
            return bytes / best.TotalSeconds / 1e9;
        }
        finally
        {
            NativeMemory.AlignedFree(data);
        }
    }
}
