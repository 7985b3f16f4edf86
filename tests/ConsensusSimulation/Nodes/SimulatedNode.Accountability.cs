using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Pools;

namespace P2P.Consensus.Simulation.Nodes;

// Accountability in the simulation: every node serves one model span, executes work (a receipt every
// NodeSettings.ReceiptIntervalMicros), judges the receipts the lottery assigns it, and gossips all three; its role
// decides whether it cheats. "Re-running" a receipt is recomputing its output hash from its input hash, so an honest
// executor's receipt always reproduces and a cheater's never does.
public sealed partial class SimulatedNode
{
    /// <summary>The model every simulated node declares and executes (an opaque id to consensus).</summary>
    public static readonly byte[] Model = Hashing.Sha256("p2p/sim/model"u8.ToArray());

    private readonly AccountabilityPool _items = new(PoolLimits.Accountability);
    private readonly HashSet<string> _judged = new(StringComparer.Ordinal);
    private ulong? _declaredEpoch;

    public NodeRole Role { get; internal set; }

    /// <summary>The output hash an honest execution of <paramref name="inputHash"/> gives.</summary>
    public static byte[] HonestOutput(byte[] inputHash) => Hashing.Sha256([.. "p2p/sim/output"u8, .. inputHash]);

    /// <summary>Starts executing work: a signed receipt every <see cref="NodeSettings.ReceiptIntervalMicros"/> (0: never).</summary>
    public void StartExecuting()
    {
        long interval = _settings.ReceiptIntervalMicros;
        if (interval <= 0) return;
        Declare();
        _loop.After(interval / 2 + _random.NextInt64(interval), Tick);

        void Tick()
        {
            Execute();
            _loop.After(interval / 2 + _random.NextInt64(interval), Tick);
        }
    }

    private void Execute()
    {
        var input = new byte[32];
        _random.NextBytes(input);
        var task = new byte[32];
        _random.NextBytes(task);
        var output = Role == NodeRole.CheatingExecutor ? Hashing.Sha256(input) : HonestOutput(input);
        var receipt = new Receipt
        {
            Executor = MinerKey,
            TaskId = task,
            Model = Model,
            ShardStart = 0,
            ShardEnd = 8,
            Deterministic = true,
            SamplingHash = new byte[32],
            InputHash = input,
            OutputHash = output,
            LogProbCommitment = output,
            InputCount = 16,
            OutputCount = 16,
            Epoch = Chain.NextEpoch,
            Signature = new byte[64],
        }.SignedBy(_key, Chain.ChainId);
        Statistics.ReceiptsSigned++;
        AcceptItem(receipt, from: -1);
    }

    /// <summary>Declares the model span once per epoch (the lottery draws validators among declared nodes).</summary>
    private void Declare()
    {
        ulong epoch = Chain.NextEpoch;
        if (_settings.ReceiptIntervalMicros <= 0 || _declaredEpoch == epoch) return;
        _declaredEpoch = epoch;
        AcceptItem(ServiceDeclaration.Create(_key, Chain.ChainId, Model, 0, 8, epoch), from: -1);
    }

    /// <summary>After the head moved: leave what it included, declare in a new epoch, and judge what the lottery assigned.</summary>
    private void OnHeadChanged(Block head)
    {
        if (_settings.ReceiptIntervalMicros <= 0) return;
        _items.RemoveIncluded(head);
        _items.Prune(Chain.NextEpoch, _ => false);
        Declare();
        foreach (var assignment in Chain.Assignments(MinerKey))
        {
            if (!_judged.Add(Convert.ToHexString(assignment.ReceiptId))) continue;
            if (_judged.Count > 4 * PoolLimits.Accountability.MaxCount) _judged.Clear(); // bounded; the chain refuses a second verdict anyway
            var receipt = assignment.Receipt;
            bool reproduced = Role != NodeRole.LyingValidator && receipt.OutputHash.AsSpan().SequenceEqual(HonestOutput(receipt.InputHash));
            var verdict = new Verdict
            {
                ReceiptId = assignment.ReceiptId,
                Validator = MinerKey,
                Valid = reproduced,
                Reason = reproduced ? VerdictReason.Reproduced : VerdictReason.OutputMismatch,
                OutputHash = HonestOutput(receipt.InputHash),
                Epoch = Chain.NextEpoch,
                Signature = new byte[64],
            }.SignedBy(_key, Chain.ChainId);
            Statistics.VerdictsSigned++;
            AcceptItem(verdict, from: -1);
        }
    }

    private void AcceptItem(BodyItem item, int from)
    {
        if (!_items.Add(item)) return;
        _poolChanged = true;
        Broadcast(new ItemAnnouncement(item), except: from);
    }
}
