using System.Numerics;
using P2P.Consensus.Encoding;
using P2P.Consensus.Ledger;
using P2P.Consensus.State;

namespace P2P.Consensus.Tests.Ledger;

/// <summary>The integer pro-rata split and its remainder rule (docs/consensus.md §7).</summary>
public sealed class RewardSplitTests
{
    private static byte[] Key(byte b) => Enumerable.Repeat(b, 32).ToArray();
    private static readonly SortedSet<byte[]> NoForfeits = new(ByteArrayComparer.Instance);

    [Fact]
    public void RewardSplit_GivesTheRemainderToTheLargestFractionalPartsThenTheSmallerKey()
    {
        // 100 split 1:1:1 gives 33.33 each: one unit left, all remainders equal, so the smallest key gets it.
        var record = RewardSplit.Split(0, 100, [new(Key(3), 5), new(Key(1), 5), new(Key(2), 5)], NoForfeits);
        Assert.Equal([33ul, 34ul, 33ul], record.Rewards.Select(r => r.Reward));
        Assert.Equal(100ul, record.Issued);

        // 10 split 1:2:4 (total 7): exact shares 1.43, 2.86, 5.71 → floors 1, 2, 5 = 8; two units to the largest remainders (.86, .71).
        var uneven = RewardSplit.Split(0, 10, [new(Key(1), 1), new(Key(2), 2), new(Key(3), 4)], NoForfeits);
        Assert.Equal([1ul, 3ul, 6ul], uneven.Rewards.Select(r => r.Reward));
    }

    [Fact]
    public void RewardSplit_DoesNotIssueForfeitedAmounts()
    {
        var forfeits = new SortedSet<byte[]>(ByteArrayComparer.Instance) { Key(2) };
        var record = RewardSplit.Split(4, 1000, [new(Key(1), 1), new(Key(2), 1), new(Key(3), 2)], forfeits);
        Assert.Equal([250ul, 250ul, 500ul], record.Rewards.Select(r => r.Reward));
        Assert.Equal(750ul, record.Issued);
        Assert.Equal(250ul, record.Forfeited);
        Assert.True(record.Rewards[1].Forfeited);
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(999_999_937, 13)]
    [InlineData(ulong.MaxValue, 10)]
    public void RewardSplit_IssuedPlusForfeitedIsTheIssuanceExactly(ulong issuance, int miners)
    {
        var random = new Random(miners);
        var weights = Enumerable.Range(0, miners).Select(i => new MinerWeight(Key((byte)i), new BigInteger(random.NextInt64(1, long.MaxValue)) * random.Next(1, 1000))).ToList();
        var forfeits = new SortedSet<byte[]>(ByteArrayComparer.Instance) { Key(0), Key(3) };
        var record = RewardSplit.Split(0, issuance, weights, forfeits);
        Assert.Equal(issuance, record.Issued + record.Forfeited);
        Assert.Equal((BigInteger)issuance, record.Rewards.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Reward));
        foreach (var r in record.Rewards)
        {
            var exact = (BigInteger)issuance * r.Weight / record.TotalWeight;
            Assert.InRange((BigInteger)r.Reward, exact, exact + 1);
        }
    }
}
