using P2P.Consensus.Blocks;

namespace P2P.Consensus.Genesis;

/// <summary>The block at height 0: no parent, no body, no miner, no work; its hash seeds epoch 0.</summary>
public static class GenesisBlock
{
    public static Block For(GenesisConfig genesis) => new(new BlockHeader
    {
        ChainId = genesis.ChainId,
        Height = 0,
        ParentHash = new byte[32],
        Timestamp = genesis.Timestamp,
        Bits = genesis.InitialBits,
        Epoch = 0,
        BodyRoot = new byte[32],
        Miner = new byte[32],
        Nonce = 0,
    }, []);
}
