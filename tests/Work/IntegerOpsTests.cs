using P2P.Work;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §2.3 and §2.5: the integer primitives at their edges.</summary>
public class IntegerOpsTests
{
    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, 1L)]
    [InlineData(3L, 1L)]
    [InlineData(4L, 2L)]
    [InlineData(4611686014132420609L, 2147483647L)]   // (2^31 − 1)²
    [InlineData(4611686014132420608L, 2147483646L)]
    [InlineData(long.MaxValue, 3037000499L)]
    public void Section2_3_IsqrtIsTheFloorOfTheExactRoot(long n, long root) => Assert.Equal(root, IntegerOps.Isqrt(n));

    [Theory]
    [InlineData(524288L, 1, 20, 1)]        // exactly one half rounds up
    [InlineData(524287L, 1, 20, 0)]
    [InlineData(-524288L, 1, 20, 0)]       // −½ rounds up to 0 (floor of x + ½)
    [InlineData(-524289L, 1, 20, -1)]
    [InlineData(1L << 40, 1, 20, 127)]     // saturates at +127 …
    [InlineData(-(1L << 40), 1, 20, -127)] // … and −127, never −128
    public void Section2_3_RequantizeRoundsHalfUpAndSaturatesSymmetrically(long acc, int multiplier, int shift, int expected) =>
        Assert.Equal(expected, IntegerOps.Requantize(acc, multiplier, shift));

    [Fact]
    public void Section2_3_NormalisationOfAnAllZeroOrTinyRowIsDefined()
    {
        Assert.Equal(32L << 16, IntegerOps.NormMultiplier(0, 64, 32));   // r = 0 is taken as 1
        Assert.Equal(32L << 16, IntegerOps.NormMultiplier(63, 64, 32));  // s/d = 0 → r = 0 → 1
        Assert.Equal(0, IntegerOps.Normalize(0, 32L << 16));
        Assert.Equal(127, IntegerOps.Normalize(5, 32L << 16));
        Assert.Equal(-127, IntegerOps.Normalize(-32767, 32L << 16));
    }

    [Fact]
    public void Section2_5_ExpTableFollowsItsIntegerRecurrence()
    {
        var table = ExpTable.Values;
        Assert.Equal(256, table.Count);
        Assert.Equal(new[] { 32768, 31378, 30047, 28772, 27551, 26382 }, table.Take(6));
        for (int i = 1; i < table.Count; i++)
            Assert.Equal((int)(((long)table[i - 1] * 62757) >> 16), table[i]);
        Assert.Equal(180, table.ToList().IndexOf(0));
    }

    [Fact]
    public void Section3_ProfilesAreValidAndTheirCountsMatchTheTable()
    {
        foreach (var profile in WorkProfile.All) profile.Validate();
        Assert.Equal(1_083_392, WorkProfile.Devnet.MultiplyAccumulatesPerNonce);
        Assert.Equal(1_090_781_184, WorkProfile.Standard.MultiplyAccumulatesPerNonce);
        Assert.Equal(12_953_059_328, WorkProfile.Large.MultiplyAccumulatesPerNonce);
        Assert.Throws<ArgumentException>(() => (WorkProfile.Devnet with { ModelDim = 72 }).Validate());
        Assert.Throws<ArgumentException>(() => (WorkProfile.Devnet with { Layers = 129 }).Validate());
        Assert.Null(WorkProfile.FromName("huge"));
        Assert.Same(WorkProfile.Standard, WorkProfile.FromName("STANDARD"));
    }
}
