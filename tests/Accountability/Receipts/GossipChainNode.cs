using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Accountability.Receipts;
using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Gossip;
using P2P.Consensus.Mining;
using P2P.Consensus.Pools;
using P2P.Consensus.State;
using P2P.InferenceNetwork.Receipts;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Storage;
using P2P.Testing;

namespace P2P.Accountability.Tests.Receipts;

/// <summary>
/// A chain node as the daemon wires one — a real <see cref="ChainState"/> on LevelDB in a temp folder, the pools, the
/// block intake and <see cref="ChainGossip"/> on a pubsub (a simulated peer's) — that mines a block when told to.
/// </summary>
internal sealed class GossipChainNode : IAsyncDisposable
{
    /// <summary>The devnet profile with blocks at 1 nonce in 32, epochs of <paramref name="epochLength"/> blocks, genesis an hour before <paramref name="now"/>.</summary>
    public static GenesisConfig EasyGenesis(DateTimeOffset now, int epochLength) =>
        GenesisConfig.Devnet(now.ToUnixTimeSeconds() - 3600, "p2p-republish") with { InitialBits = 0x20080000, EpochLength = epochLength, MaxBlockBytes = 4096 };

    private readonly TempDirectory _temp = new();
    private readonly LevelDatabase _database;
    private readonly TimeProvider _time;

    public GossipChainNode(GenesisConfig genesis, TimeProvider time, IPubSub? pubsub = null)
    {
        _time = time;
        _database = LevelDatabase.Open(_temp.Sub("chain"));
        Chain = ChainState.Open(_database, genesis, new ChainOptions { SyncWrites = false });
        Pool = new AccountabilityPool(PoolLimits.Accountability);
        var shares = new SharePool(PoolLimits.Shares);
        var transfers = new TransferPool(PoolLimits.Transfers);
        Intake = new BlockIntake(Chain, shares, transfers, Pool, time, NullLogger.Instance);
        if (pubsub is null) return;
        Gossip = new ChainGossip(pubsub, Intake, shares, transfers, Pool, time, NullLogger.Instance);
        Gossip.Start();
    }

    public ChainState Chain { get; }
    public AccountabilityPool Pool { get; }
    public BlockIntake Intake { get; }
    public ChainGossip? Gossip { get; }

    /// <summary>Mines the next block (with the pooled items unless <paramref name="withPool"/> is false), applies it and gossips it when on a network.</summary>
    public async Task<Block> MineAsync(Ed25519PrivateKey miner, bool withPool = true)
    {
        var template = Chain.BuildTemplate(Signing.PublicKeyOf(miner), withPool ? Pool.Candidates() : [], _time.GetUtcNow());
        var header = HeaderWork.Mine(Chain.Math, template.Header, Chain.EpochSeedForChildOf(template.Header.ParentHash), 0, 1_000_000)
            ?? throw new InvalidOperationException("no nonce found");
        var block = template with { Header = header };
        var result = Intake.Submit(block, BlockSource.Mined);
        if (!result.HeadChanged) throw new InvalidOperationException($"mined block not accepted: {result}");
        if (Gossip is not null) await Gossip.PublishBlockAsync(block, CancellationToken.None);
        return block;
    }

    /// <summary>A receipt as an executor's <see cref="ChainReceiptIssuer"/> signs it on this chain (for the epoch of the next block), for task <paramref name="task"/>.</summary>
    public Receipt Receipt(Ed25519PrivateKey executor, byte task)
    {
        byte[] Hash(string what) => SHA256.HashData(Encoding.UTF8.GetBytes($"{what} {task}"));
        var fields = new ReceiptFields
        {
            ModelId = Convert.ToHexStringLower(Hash("model")),
            TaskId = Hash("task"),
            End = 4,
            Deterministic = true,
            SamplingHash = Hash("sampling"),
            InputHash = Hash("input"),
            OutputHash = Hash("output"),
            LogProbCommitment = Hash("logprobs"),
            InputCount = 3,
            OutputCount = 2,
        };
        return Consensus.Blocks.Receipt.Decode(new ChainReceiptIssuer(Chain, executor).Issue(fields)!.Encoded);
    }

    /// <summary>The heights of this node's main-chain blocks that include <paramref name="receiptId"/>.</summary>
    public List<ulong> HeightsIncluding(byte[] receiptId)
    {
        var heights = new List<ulong>();
        for (ulong height = 1; height <= Chain.Head.Height; height++)
        {
            var block = Chain.GetBlock(Chain.MainChainHash(height)!)!;
            if (block.Items.OfType<Receipt>().Any(r => r.Id(Chain.ChainId).AsSpan().SequenceEqual(receiptId))) heights.Add(height);
        }
        return heights;
    }

    public async ValueTask DisposeAsync()
    {
        if (Gossip is not null) await Gossip.DisposeAsync();
        _database.Dispose();
        _temp.Dispose();
    }
}
