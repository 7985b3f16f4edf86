using P2P.Inference.Kernels;

namespace P2P.Bench.Inference;

/// <summary>
/// Decode-shaped products: one row of x against 400 MB of weight matrices (2048 × 768 each, like an FFN projection),
/// reported as GB/s of weights streamed — directly comparable with the read bandwidth.
/// </summary>
internal static unsafe class GemvBenchmark
{
    public static double GigabytesPerSecond(int threads, int matrices = 64, int rows = 1, bool wide = true, int outputs = 2048, int inputs = 768)
    {
        var weights = Enumerable.Range(0, matrices).Select(_ => new WeightMatrix(outputs, inputs)).ToArray();
        try
        {
            foreach (var w in weights) w.AsSpan().Fill(0.001f);
            var x = GC.AllocateArray<float>(inputs * rows, pinned: true);
            var y = GC.AllocateArray<float>(outputs * rows, pinned: true);
            x.AsSpan().Fill(1f);
            var backend = new CpuBackend(ComputeMode.Deterministic, threads) { UseWideKernels = wide };
            fixed (float* xp = x, yp = y)
            {
                float* xq = xp, yq = yp;
                var best = Measure.Best(() =>
                {
                    foreach (var w in weights) backend.MatMul(xq, rows, w, yq);
                }, repetitions: 8);
                return weights.Sum(w => w.Length * 4.0) / best.TotalSeconds / 1e9;
            }
        }
        finally
        {
            foreach (var w in weights) w.Dispose();
        }
    }
}
