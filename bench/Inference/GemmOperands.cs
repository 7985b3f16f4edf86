using P2P.Inference.Kernels;

namespace P2P.Bench.Inference;

/// <summary>Seeded random operands of y[rows×outputs] = x[rows×inner]·Wᵀ, with x and y pinned for pointer kernels.</summary>
internal sealed class GemmOperands : IDisposable
{
    public GemmOperands(int rows, int outputs, int inner)
    {
        var random = new Random(1);
        Weight = new WeightMatrix(outputs, inner);
        var w = Weight.AsSpan();
        for (int i = 0; i < w.Length; i++) w[i] = (float)(random.NextDouble() - 0.5);
        X = GC.AllocateUninitializedArray<float>(rows * inner, pinned: true);
        Y = GC.AllocateUninitializedArray<float>(rows * outputs, pinned: true);
        for (int i = 0; i < X.Length; i++) X[i] = (float)(random.NextDouble() - 0.5);
        Flops = 2.0 * rows * outputs * inner;
    }

    public WeightMatrix Weight { get; }
    public float[] X { get; }
    public float[] Y { get; }
    public double Flops { get; }

    public void Dispose() => Weight.Dispose();
}
