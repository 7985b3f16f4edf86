using P2P.Inference.Kernels;

namespace P2P.Bench.Inference;

/// <summary>GFLOP/s of y = x·Wᵀ for our deterministic kernel, fast mode, and OpenBLAS called directly.</summary>
internal static unsafe class GemmBenchmark
{
    public sealed record Result(int Rows, int Outputs, int Inner, double Deterministic, double Fast, double OpenBlasDirect);

    public static Result Run(int rows, int outputs, int inner, int threads, int repetitions)
    {
        using var operands = new GemmOperands(rows, outputs, inner);
        var (weight, x, y, flops) = (operands.Weight, operands.X, operands.Y, operands.Flops);
        var deterministic = new CpuBackend(ComputeMode.Deterministic, threads);
        var fast = new CpuBackend(ComputeMode.Fast, threads);
        fixed (float* xp = x, yp = y)
        {
            float* xq = xp, yq = yp;
            double own = flops / Measure.Best(() => deterministic.MatMul(xq, rows, weight, yq), repetitions, minSeconds: 1.5).TotalSeconds / 1e9;
            double fastRate = flops / Measure.Best(() => fast.MatMul(xq, rows, weight, yq), repetitions, minSeconds: 1.5).TotalSeconds / 1e9;
            double blas = OpenBlas.IsAvailable
                ? flops / Measure.Best(() => OpenBlas.MultiplyTransposed(xq, rows, inner, weight.Data, outputs, yq, threads), repetitions, minSeconds: 1.5).TotalSeconds / 1e9
                : double.NaN;
            return new Result(rows, outputs, inner, own, fastRate, blas);
        }
    }

    /// <summary>OpenBLAS's GFLOP/s on its own threads, best of a few products: the reference taken between model rounds.</summary>
    public static double OpenBlasRate(GemmOperands operands, int threads, int repetitions = 3)
    {
        if (!OpenBlas.IsAvailable) return double.NaN;
        int rows = operands.X.Length / operands.Weight.Cols, outputs = operands.Weight.Rows, inner = operands.Weight.Cols;
        fixed (float* xp = operands.X, yp = operands.Y)
        {
            float* xq = xp, yq = yp;
            var weight = operands.Weight;
            return operands.Flops / Measure.Best(() => OpenBlas.MultiplyTransposed(xq, rows, inner, weight.Data, outputs, yq, threads), repetitions).TotalSeconds / 1e9;
        }
    }
}
