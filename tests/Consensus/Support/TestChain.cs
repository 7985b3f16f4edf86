using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Mining;
using P2P.Consensus.State;
using P2P.Networking.Identity;
using P2P.Storage;
using P2P.Testing;

namespace P2P.Consensus.Tests.Support;

/// <summary>A chain on a real LevelDB in a temp folder, with an easy-target genesis so blocks mine in a few nonces of the real devnet work function.</summary>
public sealed class TestChain : IDisposable
{
    public const long GenesisTime = 1_767_225_600;

    /// <summary>Blocks at 2^251 (1 nonce in 32), shares at 2^253 (1 in 8), epochs of 4 blocks, a share window of 3, 1000 units per epoch.</summary>
    public static GenesisConfig EasyGenesis(string name = "p2p-test") => GenesisConfig.Devnet(GenesisTime, name) with
    {
        InitialBits = 0x20080000,
        ShareShift = 2,
        EpochLength = 4,
        ShareWindow = 3,
        IssuancePerEpoch = 1000,
        IssuanceHalvingEpochs = 0,
        MaxBlockBytes = 4096,
        EscalationSize = 2,
    };

    private readonly TempDirectory? _ownedDirectory;
    public string Path { get; }
    public LevelDatabase Database { get; private set; }
    public ChainState Chain { get; private set; }
    public GenesisConfig Genesis { get; }

    public TestChain(GenesisConfig? genesis = null, string? path = null)
    {
        Genesis = genesis ?? EasyGenesis();
        if (path is null)
        {
            _ownedDirectory = new TempDirectory();
            path = _ownedDirectory.Sub("chain");
        }
        Path = path;
        Database = LevelDatabase.Open(Path);
        Chain = ChainState.Open(Database, Genesis, new ChainOptions { SyncWrites = false });
    }

    /// <summary>Closes and reopens the database (paranoid checks on).</summary>
    public void Reopen()
    {
        Database.Dispose();
        Database = LevelDatabase.Open(Path, new LevelDbOptions { ParanoidChecks = true });
        Chain = ChainState.Open(Database, Genesis, new ChainOptions { SyncWrites = false });
    }

    public static Ed25519PrivateKey Key(int n)
    {
        var seed = new byte[32];
        seed[0] = (byte)n;
        seed[31] = 0x5A;
        return Ed25519PrivateKey.FromSeed(seed);
    }

    public static byte[] Pub(Ed25519PrivateKey key) => Signing.PublicKeyOf(key);

    /// <summary>The local time used for a block at <paramref name="height"/>: on schedule, 5 s apart.</summary>
    public static DateTimeOffset TimeAt(ulong height) => DateTimeOffset.FromUnixTimeSeconds(GenesisTime + 5 * (long)height);

    public DateTimeOffset NextTime => TimeAt(Chain.Head.Height + 1);

    /// <summary>A template from the chain's own builder, mined.</summary>
    public Block MineNext(Ed25519PrivateKey miner, IEnumerable<BodyItem>? items = null)
    {
        var template = Chain.BuildTemplate(Pub(miner), items ?? [], NextTime);
        return Mine(template);
    }

    /// <summary>Mines a block whose body is exactly <paramref name="items"/> (no filtering), so invalid items reach the rules.</summary>
    public Block MineRaw(Ed25519PrivateKey miner, IReadOnlyList<BodyItem> items, Func<BlockHeader, BlockHeader>? edit = null)
    {
        var template = Chain.BuildTemplate(Pub(miner), [], NextTime);
        var header = template.Header with { BodyRoot = MerkleTree.Root(items) };
        if (edit is not null) header = edit(header);
        return Mine(new Block(header, items));
    }

    public Block Mine(Block block)
    {
        var seed = Chain.EpochSeedForChildOf(block.Header.ParentHash);
        var mined = HeaderWork.Mine(Chain.Math, block.Header, seed, 0, 1_000_000) ?? throw new InvalidOperationException("no nonce found");
        return block with { Header = mined };
    }

    /// <summary>A share extending the current tip, mined by <paramref name="miner"/>.</summary>
    public Share MineShare(Ed25519PrivateKey miner, ulong startNonce = 0)
    {
        var header = Chain.BuildTemplate(Pub(miner), [], NextTime).Header;
        var seed = Chain.EpochSeedForChildOf(header.ParentHash);
        for (ulong nonce = startNonce; nonce < startNonce + 1_000_000; nonce++)
        {
            var candidate = header with { Nonce = nonce };
            if (HeaderWork.Classify(Chain.Math, candidate, seed) == WorkClass.Share) return new Share(candidate);
        }
        throw new InvalidOperationException("no share in a million nonces");
    }

    public SubmitResult Submit(Block block, DateTimeOffset? now = null) => Chain.Submit(block, now ?? TimeAt(block.Header.Height));

    /// <summary>Mines and submits <paramref name="count"/> empty blocks, asserting each becomes the head.</summary>
    public List<Block> Extend(int count, Ed25519PrivateKey miner)
    {
        var blocks = new List<Block>();
        for (int i = 0; i < count; i++)
        {
            var block = MineNext(miner);
            var result = Submit(block);
            if (!result.HeadChanged) throw new InvalidOperationException($"block {block.Header.Height} not accepted: {result}");
            blocks.Add(block);
        }
        return blocks;
    }

    public void Dispose()
    {
        Database.Dispose();
        _ownedDirectory?.Dispose();
    }
}
