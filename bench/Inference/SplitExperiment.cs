using P2P.Inference.Kernels;

namespace P2P.Bench.Inference;

/// <summary>
/// Fast-mode GFLOP/s on the ~110M model's prefill shapes for several splits of the output features, and OpenBLAS's
/// own threading, measured alternately (--split-experiment).
/// </summary>
internal static unsafe class SplitExperiment
{
    public static void Run(int threads)
    {
        Console.WriteLine($"{"M×N×K",-16}{"1 part/thr",12}{"2 parts/thr",12}{"4 parts/thr",12}{"BLAS threads",14}");
        foreach (var (rows, outputs, inner) in new[] { (256, 4096, 768), (256, 2304, 768), (256, 768, 2048), (256, 768, 768) })
        {
            using var operands = new GemmOperands(rows, outputs, inner);
            var (weight, x, y, flops) = (operands.Weight, operands.X, operands.Y, operands.Flops);
            var backends = new[] { 1, 2, 4 }.Select(p => new CpuBackend(ComputeMode.Fast, threads) { BlasPartsPerThread = p }).ToArray();
            var best = new double[4];
            fixed (float* xp = x, yp = y)
            {
                float* xq = xp, yq = yp;
                for (int round = 0; round < 5; round++)
                {
                    for (int b = 0; b < backends.Length; b++)
                    {
                        var backend = backends[b];
                        best[b] = Math.Max(best[b], flops / Measure.Best(() => backend.MatMul(xq, rows, weight, yq), 3, minSeconds: 0.2).TotalSeconds / 1e9);
                    }
                    best[3] = Math.Max(best[3], flops / Measure.Best(() => OpenBlas.MultiplyTransposed(xq, rows, inner, weight.Data, outputs, yq, threads), 3, minSeconds: 0.2).TotalSeconds / 1e9);
                }
            }
            Console.WriteLine($"{$"{rows}×{outputs}×{inner}",-16}{best[0],12:F1}{best[1],12:F1}{best[2],12:F1}{best[3],14:F1}");
        }
    }
}
