using P2P.Inference.Kernels;
using P2P.Inference.Models;

namespace P2P.Inference.Tests.Kernels;

public unsafe class WeightMatrixTests
{
    [Fact]
    public void LargeMatrix_IsHugePageAligned_OnLinux_AndSmallOnesStayOrdinary()
    {
        using var large = new WeightMatrix(1024, 768); // 3 MB
        using var small = new WeightMatrix(64, 64);
        Assert.Equal(OperatingSystem.IsLinux(), large.HugePages);
        Assert.False(small.HugePages);
        if (large.HugePages) Assert.Equal(0, (long)large.Data % (2L << 20));
        Assert.Equal(0, (long)small.Data % 64);
        large.AsSpan().Fill(1.5f);
        Assert.Equal(1.5f, large.Row(1023)[767]);
    }

    [Fact]
    public void ShardWeights_ShareArenaHugePages_WithoutOverlap()
    {
        using var weights = ModelLoader.Load("seed:preset=stories15m,seed=3");
        var matrices = weights.Layers.SelectMany(l => l.All).Append(weights.Head!).Append(weights.FinalNorm!).ToArray();
        Assert.All(matrices, m => Assert.Equal(OperatingSystem.IsLinux(), m.HugePages));
        Assert.All(matrices, m => Assert.Equal(0, (long)m.Data % 64));
        var ranges = matrices.Select(m => (Start: (long)m.Data, End: (long)m.Data + m.Length * sizeof(float))).OrderBy(r => r.Start).ToArray();
        for (int i = 1; i < ranges.Length; i++) Assert.True(ranges[i].Start >= ranges[i - 1].End, "two matrices overlap");
    }
}
