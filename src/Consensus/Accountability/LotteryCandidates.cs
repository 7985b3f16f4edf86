using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Ledger;

namespace P2P.Consensus.Accountability;

/// <summary>Who may be drawn to judge a receipt, read from the ledger's service declarations and epoch weights (docs/consensus.md §4.8).</summary>
public static class LotteryCandidates
{
    /// <summary>
    /// Nodes with a service declaration of the receipt's model in epoch e or e − 1 whose span covers the receipt's, except
    /// the executor; weight = max(the node's weight in epoch e − 1, 1) — the floor of 1 lets a young network (epoch 0, or
    /// validators that do not mine) draw at all.
    /// </summary>
    public static List<LotteryCandidate> For(LedgerView ledger, Receipt receipt, ulong epoch)
    {
        var nodes = new SortedSet<byte[]>(ByteArrayComparer.Instance);
        ulong[] epochs = epoch == 0 ? [0] : [epoch - 1, epoch];
        foreach (ulong e in epochs)
        {
            foreach (var (node, start, end) in ledger.GetDeclarations(receipt.Model, e))
            {
                if (start <= receipt.ShardStart && receipt.ShardEnd <= end && !node.AsSpan().SequenceEqual(receipt.Executor))
                    nodes.Add(node);
            }
        }
        var weights = epoch == 0 ? new List<MinerWeight>() : ledger.GetWeights(epoch - 1);
        var byNode = weights.ToDictionary(w => Convert.ToHexString(w.Miner), w => w.Weight);
        return nodes.Select(n => new LotteryCandidate(n, BigInteger.Max(byNode.GetValueOrDefault(Convert.ToHexString(n), BigInteger.Zero), BigInteger.One))).ToList();
    }
}
