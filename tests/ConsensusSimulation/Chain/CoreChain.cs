using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Difficulty;
using P2P.Consensus.Genesis;
using P2P.Consensus.Reasons;
using P2P.Consensus.State;
using P2P.Storage;
using CoreStatus = P2P.Consensus.State.SubmitStatus;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>The real chain of src/Consensus (<see cref="ChainState"/> on its own LevelDB) behind the simulator's seam.</summary>
public sealed class CoreChain : ISimulatedChain
{
    private readonly LevelDatabase _database;

    private CoreChain(LevelDatabase database, ChainState state)
    {
        _database = database;
        State = state;
    }

    public ChainState State { get; }
    public GenesisConfig Genesis => State.Genesis;

    /// <summary>Opens (creating when missing) the chain of <paramref name="genesis"/> in <paramref name="directory"/>.</summary>
    /// <param name="paranoidChecks">LevelDB's paranoid checks and the chain's own consistency checks on open.</param>
    /// <param name="syncWrites">fsync each block's batch: only power loss needs it, so simulations turn it off.</param>
    public static CoreChain Open(GenesisConfig genesis, string directory, bool paranoidChecks = false, bool syncWrites = false)
    {
        Directory.CreateDirectory(directory);
        var database = LevelDatabase.Open(directory, new LevelDbOptions { ParanoidChecks = paranoidChecks, BlockCacheBytes = 4L << 20 });
        try
        {
            var state = ChainState.Open(database, genesis, new ChainOptions { ParanoidChecks = paranoidChecks, SyncWrites = syncWrites });
            return new CoreChain(database, state);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public ChainTip Head
    {
        get
        {
            var head = State.Head;
            return new ChainTip(head.Hash, head.Height, head.CumulativeWork);
        }
    }

    public SubmitOutcome Submit(Block block, long nowSeconds)
    {
        var result = State.Submit(block, DateTimeOffset.FromUnixTimeSeconds(nowSeconds));
        var status = result.Status switch
        {
            CoreStatus.Accepted => Simulation.Chain.SubmitStatus.Accepted,
            CoreStatus.AlreadyKnown => Simulation.Chain.SubmitStatus.AlreadyKnown,
            CoreStatus.Orphan => Simulation.Chain.SubmitStatus.Orphan,
            _ => Simulation.Chain.SubmitStatus.Invalid,
        };
        return new SubmitOutcome(status, result.Reason == RejectReason.None ? null : result.Reason.ToString(), result.HeadChanged, result.ReorgDepth);
    }

    public Block? FindBlock(ReadOnlySpan<byte> hash) => State.GetBlock(hash.ToArray());

    public IReadOnlyList<Block> MainChain()
    {
        var blocks = new List<Block>();
        for (ulong height = 1; State.MainChainHash(height) is { } hash; height++)
            blocks.Add(State.GetBlock(hash) ?? throw new InvalidOperationException($"main-chain block at height {height} is not stored"));
        return blocks;
    }

    public byte[] ChainId => State.ChainId;

    public (ulong Balance, ulong Nonce) Account(byte[] key)
    {
        var account = State.GetAccount(key);
        return (account.Balance, account.Nonce);
    }

    public MiningJob NewJob(byte[] minerKey, IReadOnlyCollection<Share> candidateShares, IReadOnlyCollection<Transfer> candidateTransfers, long nowSeconds, IReadOnlyCollection<BodyItem>? otherItems = null)
    {
        var candidates = Fresh(candidateShares).Cast<BodyItem>().Concat(candidateTransfers).Concat(otherItems ?? []);
        var template = State.BuildTemplate(minerKey, candidates, DateTimeOffset.FromUnixTimeSeconds(nowSeconds));
        var header = template.Header;
        var seed = State.EpochSeedForChildOf(header.ParentHash);
        return new MiningJob(header, template.Items, Genesis.Profile, seed, CompactTarget.Decode(header.Bits), State.Math.ShareTarget(header.Bits));
    }

    /// <summary>
    /// The candidates that can still be credited on the head: inside the share window, of the next block's epoch and
    /// not credited yet. BuildTemplate checks every rule anyway, so this only saves it the lookups of shares that are
    /// already credited or out of reach.
    /// </summary>
    private List<Share> Fresh(IReadOnlyCollection<Share> candidates)
    {
        ulong next = State.Head.Height + 1, epoch = State.Math.EpochOf(next);
        ulong window = (ulong)Genesis.ShareWindow;
        return candidates.Where(s => s.Header.Height <= next && next - s.Header.Height < window && s.Header.Epoch == epoch
                                     && !State.IsShareCredited(epoch, s.Id())).ToList();
    }

    public ulong NextEpoch => State.Math.EpochOf(State.Head.Height + 1);

    public IReadOnlyList<ValidatorAssignment> Assignments(byte[] validatorKey) => State.GetAssignments(validatorKey, 0);

    public bool IsRelayableShare(Share share) => State.CheckShareForRelay(share) == RejectReason.None;

    public LedgerSnapshot Snapshot()
    {
        var balances = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (key, account) in State.Accounts())
            balances[Convert.ToHexStringLower(key)] = account.Balance;

        var weights = new SortedDictionary<ulong, SortedDictionary<string, BigInteger>>();
        var rewards = new SortedDictionary<ulong, SortedDictionary<string, ulong>>();
        var head = State.Head;
        for (ulong epoch = 0; epoch <= head.Epoch; epoch++)
        {
            var perMiner = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
            foreach (var weight in State.GetEpochWeights(epoch)) perMiner[Convert.ToHexStringLower(weight.Miner)] = weight.Weight;
            weights[epoch] = perMiner;
            if (State.GetEpochRecord(epoch) is { } record)
            {
                var paid = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
                foreach (var reward in record.Rewards) paid[Convert.ToHexStringLower(reward.Miner)] = reward.Reward;
                rewards[epoch] = paid;
            }
        }
        return new LedgerSnapshot(balances, weights, rewards, State.Totals.Issued, State.StateDigest());
    }

    public void Dispose() => _database.Dispose();
}
