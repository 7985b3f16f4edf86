using P2P.Consensus.Blocks;
using P2P.Consensus.Mining;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>
/// Mines a chain alone with the real rules and work function: every block on schedule (timestamp = parent + target
/// block time, so ASERT keeps the initial target), carrying the shares found while mining its parent's successor.
/// For benchmarks that need real blocks of a profile too slow to simulate a network of (standard, large).
/// </summary>
public static class SoloChainBuilder
{
    public static IReadOnlyList<Block> Mine(CoreChain chain, byte[] minerKey, int blocks, ulong firstNonce = 0, CancellationToken cancellationToken = default)
    {
        var state = chain.State;
        var genesis = chain.Genesis;
        var mined = new List<Block>(blocks);
        var pending = new List<Share>();
        ulong nonce = firstNonce;
        for (int i = 0; i < blocks; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var head = state.Head;
            long time = state.GetHeader(head.Hash)!.Timestamp + genesis.TargetBlockSeconds;
            var template = state.BuildTemplate(minerKey, pending, DateTimeOffset.FromUnixTimeSeconds(time));
            var seed = state.EpochSeedForChildOf(head.Hash);
            var found = new List<Share>();
            BlockHeader? header = null;
            while (header is null)
            {
                header = HeaderWork.Mine(state.Math, template.Header, seed, nonce, 4096, h => found.Add(new Share(h)));
                nonce += 4096;
                if (nonce - firstNonce > 1UL << 32) throw new InvalidOperationException("no block found in 2^32 nonces");
            }
            var block = new Block(header, template.Items);
            var outcome = chain.Submit(block, time);
            if (outcome.Status != SubmitStatus.Accepted || !outcome.HeadChanged)
                throw new InvalidOperationException($"own block at height {header.Height}: {outcome}");
            mined.Add(block);
            // Shares that no longer fit (another epoch after a boundary) are dropped by BuildTemplate.
            pending = found;
        }
        return mined;
    }
}
