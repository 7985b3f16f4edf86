using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Ledger;

namespace P2P.Consensus.Accountability;

/// <summary>
/// Who may be drawn to judge receipts of one epoch, read from the ledger's service declarations and epoch weights
/// (docs/consensus.md §4.8). Declarations and weights are read once per model, so drawing a block's many receipts
/// costs one ledger scan per model, not one per receipt; create one per block (the ledger changes between blocks).
/// </summary>
public sealed class LotteryCandidates(LedgerView ledger, ulong epoch)
{
    private readonly Dictionary<string, List<(byte[] Node, uint ShardStart, uint ShardEnd)>> _declarations = new(StringComparer.Ordinal);
    private Dictionary<string, BigInteger>? _weights;

    /// <summary>
    /// Nodes with a service declaration of the receipt's model in epoch e or e − 1 whose span covers the receipt's, except
    /// the executor; weight = max(the node's weight in epoch e − 1, 1) — the floor of 1 lets a young network (epoch 0, or
    /// validators that do not mine) draw at all.
    /// </summary>
    public List<LotteryCandidate> For(Receipt receipt)
    {
        var nodes = new SortedSet<byte[]>(ByteArrayComparer.Instance);
        foreach (var (node, start, end) in DeclarationsOf(receipt.Model))
        {
            if (start <= receipt.ShardStart && receipt.ShardEnd <= end && !node.AsSpan().SequenceEqual(receipt.Executor))
                nodes.Add(node);
        }
        _weights ??= (epoch == 0 ? [] : ledger.GetWeights(epoch - 1)).ToDictionary(w => Convert.ToHexString(w.Miner), w => w.Weight, StringComparer.Ordinal);
        return nodes.Select(n => new LotteryCandidate(n, BigInteger.Max(_weights.GetValueOrDefault(Convert.ToHexString(n), BigInteger.Zero), BigInteger.One))).ToList();
    }

    /// <summary>One-off: the candidates of <paramref name="receipt"/> in <paramref name="epoch"/>.</summary>
    public static List<LotteryCandidate> For(LedgerView ledger, Receipt receipt, ulong epoch) => new LotteryCandidates(ledger, epoch).For(receipt);

    private List<(byte[] Node, uint ShardStart, uint ShardEnd)> DeclarationsOf(byte[] model)
    {
        string key = Convert.ToHexString(model);
        if (_declarations.TryGetValue(key, out var known)) return known;
        var list = epoch == 0 ? ledger.GetDeclarations(model, 0) : [.. ledger.GetDeclarations(model, epoch - 1), .. ledger.GetDeclarations(model, epoch)];
        _declarations[key] = list;
        return list;
    }
}
