using P2P.Inference.Kernels;

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
}
