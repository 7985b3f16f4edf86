using System.Numerics;

namespace P2P.Consensus.Sync;

/// <summary>What a node says about its chain in the status exchange: which chain, and how far its head is.</summary>
public sealed record SyncStatus(byte[] ChainId, byte[] GenesisHash, byte[] HeadHash, ulong Height, BigInteger CumulativeWork)
{
    public bool SameChainAs(SyncStatus other) => ChainId.AsSpan().SequenceEqual(other.ChainId) && GenesisHash.AsSpan().SequenceEqual(other.GenesisHash);
}
