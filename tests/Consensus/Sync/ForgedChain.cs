using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Mining;
using P2P.Consensus.Rules;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Sync;

/// <summary>
/// Blocks built outside any chain state, the way a hostile peer would: correct nBits, epoch and real work, on top of
/// an honest prefix — so a header chain passes every header check whatever its bodies hold.
/// </summary>
public sealed class ForgedChain
{
    private readonly ChainMath _math;
    private readonly List<Block> _blocks = [];
    private readonly List<byte[]> _hashes = [];

    public ForgedChain(GenesisConfig genesis, BlockHeader genesisHeader, IEnumerable<Block> prefix)
    {
        _math = new ChainMath(genesis);
        _blocks.Add(new Block(genesisHeader, []));
        _hashes.Add(genesisHeader.Hash());
        foreach (var block in prefix)
        {
            _blocks.Add(block);
            _hashes.Add(block.Hash());
        }
    }

    public IReadOnlyList<Block> Blocks => _blocks;

    public IReadOnlyList<byte[]> Hashes => _hashes;

    public Block Tip => _blocks[^1];

    /// <summary>Mines the next block with <paramref name="items"/> (valid or not), <paramref name="spacing"/> seconds after its parent.</summary>
    public Block Extend(IReadOnlyList<BodyItem>? items = null, long spacing = 5)
    {
        items ??= [];
        var parent = Tip.Header;
        ulong height = parent.Height + 1;
        var header = new BlockHeader
        {
            ChainId = _math.ChainId,
            Height = height,
            ParentHash = _hashes[^1],
            Timestamp = parent.Timestamp + spacing,
            Bits = _math.NextBits(height, parent.Timestamp),
            Epoch = _math.EpochOf(height),
            BodyRoot = MerkleTree.Root(items),
            Miner = TestChain.Pub(TestChain.Key(66)),
        };
        var seed = _hashes[(int)_math.SeedHeight(_math.EpochOf(height))];
        var mined = HeaderWork.Mine(_math, header, seed, 0, 1_000_000) ?? throw new InvalidOperationException("no nonce found");
        var block = new Block(mined, items);
        _blocks.Add(block);
        _hashes.Add(block.Hash());
        return block;
    }

    public ForgedChain ExtendBy(int count, long spacing = 5)
    {
        for (int i = 0; i < count; i++) Extend(spacing: spacing);
        return this;
    }
}
