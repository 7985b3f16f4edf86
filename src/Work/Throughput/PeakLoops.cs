using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using P2P.Work.Kernels;

namespace P2P.Work.Throughput;

/// <summary>Tight register-only multiply-add loops: the machine's peak multiply-accumulates per second for each instruction.</summary>
public static class PeakLoops
{
    /// <summary>One loop: its name, int8 (or fp32) multiply-accumulates per iteration, and the body run for n iterations.</summary>
    public sealed record Loop(string Name, int MacsPerIteration, Func<long, int> Body);

    public static IEnumerable<Loop> Available()
    {
        if (Avx2.IsSupported) yield return new("avx2 vpmaddwd+vpaddd ymm (int16)", 12 * 16, VpMaddWd);
        if (Avx512BW.IsSupported) yield return new("avx-512bw vpmaddwd+vpaddd zmm (int16)", 12 * 32, VpMaddWdZmm);
        if (Fma.IsSupported) yield return new("fma vfmadd ymm (fp32)", 12 * 8, FmaYmm);
        if (Avx512F.IsSupported) yield return new("avx-512 vfmadd zmm (fp32)", 12 * 16, FmaZmm);
        if (AvxVnni.IsSupported) yield return new("avx-vnni vpdpbusd ymm (int8)", 12 * 32, VpDpBusd);
        // .NET 10 has no API for 512-bit vpdpbusd without AVX10: the loop is machine code beside the kernel's tiles.
        if (Int8GemmKernel.FromName("avx512-vnni") is Avx512VnniGemmKernel vnni) yield return new("avx512-vnni vpdpbusd zmm (int8)", 12 * 64, vnni.PeakLoop);
    }

    /// <summary>
    /// MAC/s of a loop run on the given number of threads at once: the best of 10 windows of duration/10 each, the same
    /// best-of-short-windows rule the miner's figure follows (a shared machine disturbs long windows more).
    /// </summary>
    public static double Measure(Loop loop, int threads, TimeSpan duration)
    {
        long count = Calibrate(loop, duration / 10);
        double best = 0;
        for (int window = 0; window < 10; window++)
            best = Math.Max(best, Window(loop, threads, count));
        return best;
    }

    /// <summary>Iterations of the loop that take about the given time on one thread (a short calibration run).</summary>
    public static long Calibrate(Loop loop, TimeSpan window)
    {
        loop.Body(1000);
        long iterations = 1000;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromMilliseconds(20)) { loop.Body(iterations); iterations *= 2; }
        double perSecond = iterations / sw.Elapsed.TotalSeconds;
        return Math.Max(1000, (long)(perSecond * window.TotalSeconds));
    }

    /// <summary>MAC/s of one window: the loop run for the given iterations on each of the given threads at once.</summary>
    public static double Window(Loop loop, int threads, long iterations)
    {
        var sw = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => loop.Body(iterations));
        return (double)iterations * threads * loop.MacsPerIteration / sw.Elapsed.TotalSeconds;
    }

    /// <summary>The loop with the highest one-thread rate on this CPU (best of a few short windows each).</summary>
    public static Loop Best() => Available().MaxBy(l => Measure(l, 1, TimeSpan.FromMilliseconds(100)))!;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int VpMaddWd(long n)
    {
        var y = Vector256.Create((short)5);
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<int> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < n; i++)
        {
            a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(a0.AsInt16(), y)); a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(a1.AsInt16(), y));
            a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(a2.AsInt16(), y)); a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(a3.AsInt16(), y));
            a4 = Avx2.Add(a4, Avx2.MultiplyAddAdjacent(a4.AsInt16(), y)); a5 = Avx2.Add(a5, Avx2.MultiplyAddAdjacent(a5.AsInt16(), y));
            a6 = Avx2.Add(a6, Avx2.MultiplyAddAdjacent(a6.AsInt16(), y)); a7 = Avx2.Add(a7, Avx2.MultiplyAddAdjacent(a7.AsInt16(), y));
            a8 = Avx2.Add(a8, Avx2.MultiplyAddAdjacent(a8.AsInt16(), y)); a9 = Avx2.Add(a9, Avx2.MultiplyAddAdjacent(a9.AsInt16(), y));
            a10 = Avx2.Add(a10, Avx2.MultiplyAddAdjacent(a10.AsInt16(), y)); a11 = Avx2.Add(a11, Avx2.MultiplyAddAdjacent(a11.AsInt16(), y));
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int VpMaddWdZmm(long n)
    {
        var y = Vector512.Create((short)5);
        Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<int> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < n; i++)
        {
            a0 += Avx512BW.MultiplyAddAdjacent(a0.AsInt16(), y); a1 += Avx512BW.MultiplyAddAdjacent(a1.AsInt16(), y);
            a2 += Avx512BW.MultiplyAddAdjacent(a2.AsInt16(), y); a3 += Avx512BW.MultiplyAddAdjacent(a3.AsInt16(), y);
            a4 += Avx512BW.MultiplyAddAdjacent(a4.AsInt16(), y); a5 += Avx512BW.MultiplyAddAdjacent(a5.AsInt16(), y);
            a6 += Avx512BW.MultiplyAddAdjacent(a6.AsInt16(), y); a7 += Avx512BW.MultiplyAddAdjacent(a7.AsInt16(), y);
            a8 += Avx512BW.MultiplyAddAdjacent(a8.AsInt16(), y); a9 += Avx512BW.MultiplyAddAdjacent(a9.AsInt16(), y);
            a10 += Avx512BW.MultiplyAddAdjacent(a10.AsInt16(), y); a11 += Avx512BW.MultiplyAddAdjacent(a11.AsInt16(), y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int FmaYmm(long n)
    {
        var x = Vector256.Create(1.0001f); var y = Vector256.Create(0.9999f);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < n; i++)
        {
            a0 = Fma.MultiplyAdd(x, y, a0); a1 = Fma.MultiplyAdd(x, y, a1); a2 = Fma.MultiplyAdd(x, y, a2);
            a3 = Fma.MultiplyAdd(x, y, a3); a4 = Fma.MultiplyAdd(x, y, a4); a5 = Fma.MultiplyAdd(x, y, a5);
            a6 = Fma.MultiplyAdd(x, y, a6); a7 = Fma.MultiplyAdd(x, y, a7); a8 = Fma.MultiplyAdd(x, y, a8);
            a9 = Fma.MultiplyAdd(x, y, a9); a10 = Fma.MultiplyAdd(x, y, a10); a11 = Fma.MultiplyAdd(x, y, a11);
        }
        return (int)(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int FmaZmm(long n)
    {
        var x = Vector512.Create(1.0001f); var y = Vector512.Create(0.9999f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < n; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(x, y, a0); a1 = Avx512F.FusedMultiplyAdd(x, y, a1); a2 = Avx512F.FusedMultiplyAdd(x, y, a2);
            a3 = Avx512F.FusedMultiplyAdd(x, y, a3); a4 = Avx512F.FusedMultiplyAdd(x, y, a4); a5 = Avx512F.FusedMultiplyAdd(x, y, a5);
            a6 = Avx512F.FusedMultiplyAdd(x, y, a6); a7 = Avx512F.FusedMultiplyAdd(x, y, a7); a8 = Avx512F.FusedMultiplyAdd(x, y, a8);
            a9 = Avx512F.FusedMultiplyAdd(x, y, a9); a10 = Avx512F.FusedMultiplyAdd(x, y, a10); a11 = Avx512F.FusedMultiplyAdd(x, y, a11);
        }
        return (int)(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int VpDpBusd(long n)
    {
        var x = Vector256.Create((byte)3); var y = Vector256.Create((sbyte)5);
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<int> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < n; i++)
        {
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, x, y); a1 = AvxVnni.MultiplyWideningAndAdd(a1, x, y);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, x, y); a3 = AvxVnni.MultiplyWideningAndAdd(a3, x, y);
            a4 = AvxVnni.MultiplyWideningAndAdd(a4, x, y); a5 = AvxVnni.MultiplyWideningAndAdd(a5, x, y);
            a6 = AvxVnni.MultiplyWideningAndAdd(a6, x, y); a7 = AvxVnni.MultiplyWideningAndAdd(a7, x, y);
            a8 = AvxVnni.MultiplyWideningAndAdd(a8, x, y); a9 = AvxVnni.MultiplyWideningAndAdd(a9, x, y);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, x, y); a11 = AvxVnni.MultiplyWideningAndAdd(a11, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }
}
