using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.State;

/// <summary>Many competing branches with shares and transfers, delivered in a shuffled order: the node ends on the heaviest chain with exactly the state of a clean replay, and its invariants hold throughout.</summary>
public sealed class ForkStormTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void BlockTree_EndsInTheStateOfACleanReplay_WhenDeliveredShuffled(int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(1, 4).Select(TestChain.Key).ToArray();
        // Three miners each build on their own node; now and then a node adopts another's chain, which makes a tree.
        var miners = Enumerable.Range(0, 3).Select(_ => new TestChain()).ToArray();
        var all = new List<Block>();
        try
        {
            for (int step = 0; step < 36; step++)
            {
                int m = random.Next(miners.Length);
                var node = miners[m];
                if (random.Next(4) == 0)
                    foreach (var b in all) node.Submit(b, TestChain.TimeAt(100));
                var items = new List<BodyItem>();
                if (random.Next(2) == 0) items.Add(node.MineShare(keys[random.Next(keys.Length)], (ulong)random.Next(1000) * 100));
                foreach (var key in keys)
                {
                    var account = node.Chain.GetAccount(TestChain.Pub(key));
                    if (account.Balance > 10 && random.Next(2) == 0)
                        items.Add(Transfer.Create(key, node.Chain.ChainId, TestChain.Pub(keys[random.Next(keys.Length)]), (ulong)random.Next(1, 10), 1, account.Nonce));
                }
                var block = node.MineNext(keys[m], items);
                Assert.True(node.Submit(block, TestChain.TimeAt(100)).HeadChanged);
                all.Add(block);
            }

            using var target = new TestChain();
            var shuffled = all.OrderBy(_ => random.Next()).ToList();
            foreach (var block in shuffled)
            {
                var result = target.Submit(block, TestChain.TimeAt(100));
                Assert.NotEqual(SubmitStatus.Invalid, result.Status);
                AssertInvariants(target);
            }
            Assert.Equal(0, target.Chain.OrphanCount);
            Assert.True(target.Chain.Head.Height < (ulong)all.Count - 5, "the storm should have made side branches");
            var best = all.MaxBy(b => Work(target, b))!;
            Assert.Equal(Work(target, best), target.Chain.Head.CumulativeWork);

            using var replay = new TestChain();
            for (ulong h = 1; target.Chain.MainChainHash(h) is { } hash; h++)
                Assert.True(replay.Submit(target.Chain.GetBlock(hash)!, TestChain.TimeAt(100)).HeadChanged);
            Assert.Equal(target.Chain.Head.Hash, replay.Chain.Head.Hash);
            Assert.Equal(replay.Chain.StateDigest(), target.Chain.StateDigest());
            target.Reopen();
            Assert.Equal(replay.Chain.StateDigest(), target.Chain.StateDigest());
        }
        finally
        {
            foreach (var m in miners) m.Dispose();
        }
    }

    private static System.Numerics.BigInteger Work(TestChain chain, Block block)
    {
        var total = System.Numerics.BigInteger.Zero;
        for (var hash = block.Hash(); chain.Chain.GetHeader(hash) is { } header; hash = header.ParentHash)
        {
            total += P2P.Consensus.Rules.ChainMath.BlockWork(header.Bits);
            if (header.Height == 0) break;
        }
        return total;
    }

    private static void AssertInvariants(TestChain t)
    {
        var totals = t.Chain.Totals;
        Assert.Equal(t.Chain.ScheduledIssuance, (System.Numerics.BigInteger)totals.Issued + totals.Forfeited);
        Assert.Equal(t.Chain.Head.Height / (ulong)t.Genesis.EpochLength, totals.EpochsClosed);
        ulong balances = 0;
        foreach (var (_, account) in t.Chain.Accounts()) balances += account.Balance;
        Assert.Equal(totals.Issued, balances);
    }
}
