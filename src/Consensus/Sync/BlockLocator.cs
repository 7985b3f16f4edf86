using P2P.Consensus.Blocks;
using P2P.Consensus.State;

namespace P2P.Consensus.Sync;

/// <summary>
/// Bitcoin-style block locators: the main chain's hashes from the head back, the last ten dense and then
/// exponentially spaced, always ending with the genesis block, so a server finds the fork point in one request.
/// </summary>
public static class BlockLocator
{
    private const int DenseEntries = 10;

    public static List<byte[]> Build(ChainState chain, int maxHashes = SyncLimits.MaxLocatorHashes)
    {
        var hashes = new List<byte[]>();
        ulong height = chain.Head.Height;
        ulong step = 1;
        while (hashes.Count < maxHashes - 1 && height > 0)
        {
            // A concurrent reorganisation may shorten the chain under us: skip heights that are gone.
            if (chain.MainChainHash(height) is { } hash) hashes.Add(hash);
            if (hashes.Count >= DenseEntries) step *= 2;
            height = height > step ? height - step : 0;
        }
        hashes.Add(chain.GenesisHash);
        return hashes;
    }

    /// <summary>The server side: the first locator hash on our main chain, or null when none is (another chain).</summary>
    public static BlockHeader? FindForkPoint(ChainState chain, IReadOnlyList<byte[]> locator)
    {
        foreach (var hash in locator)
        {
            if (chain.GetHeader(hash) is not { } header) continue;
            if (chain.MainChainHash(header.Height) is { } onMain && onMain.AsSpan().SequenceEqual(hash)) return header;
        }
        return null;
    }

    /// <summary>Up to <paramref name="maxCount"/> main-chain headers above <paramref name="fork"/>.</summary>
    public static List<BlockHeader> HeadersAfter(ChainState chain, BlockHeader fork, int maxCount)
    {
        var headers = new List<BlockHeader>();
        for (ulong height = fork.Height + 1; headers.Count < maxCount; height++)
        {
            if (chain.MainChainHash(height) is not { } hash || chain.GetHeader(hash) is not { } header) break;
            headers.Add(header);
        }
        return headers;
    }
}
