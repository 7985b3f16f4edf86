using P2P.Consensus.Accountability;
using P2P.Consensus.Blocks;
using P2P.Consensus.Mining;
using P2P.Consensus.Reasons;
using P2P.Consensus.Simulation;
using P2P.Consensus.Simulation.Chain;
using P2P.Consensus.State;
using P2P.Networking.Identity;

namespace P2P.Bench.Consensus;

/// <summary>
/// Acceptance 6, block-validation half: what checking receipts and verdicts costs a block validator — the lottery draw
/// of a receipt, a verdict's entitlement (the recorded draw), deadline and signature — beside one verdict's signature
/// check alone. No inference runs: the consensus assembly does not reference the inference engine at all.
/// </summary>
internal static class VerdictBenchmark
{
    private const int Validators = 16;
    private const int Receipts = 300;

    public static void Run(string root, TimeSpan window, TimeSpan total)
    {
        var genesis = SimulationGenesis.Create(epochLength: 24, shareShift: 2, noncesPerBlock: 4, chainName: "bench-verdicts");
        using var chain = CoreChain.Open(genesis, Path.Combine(root, "verdicts"));
        var state = chain.State;
        var miner = Key(1);
        var executor = Key(2);
        var validators = Enumerable.Range(10, Validators).Select(Key).ToList();
        var model = Enumerable.Repeat((byte)2, 32).ToArray();

        var declarations = validators.Select(v => (BodyItem)ServiceDeclaration.Create(v, state.ChainId, model, 0, 8, 0));
        var receipts = Enumerable.Range(0, Receipts).Select(i => Receipt(executor, state.ChainId, model, i)).ToList();
        double perReceipt = SubmitTimed(state, miner, [.. receipts, .. declarations], Receipts + Validators) / Receipts;

        var byKey = validators.ToDictionary(v => Convert.ToHexString(Signing.PublicKeyOf(v)));
        var verdicts = receipts.Select(r =>
        {
            var id = r.Id(state.ChainId);
            var first = state.GetReceiptStatus(id)!.Validators[0];
            var signer = byKey[Convert.ToHexString(first)];
            return new Verdict { ReceiptId = id, Validator = first, Valid = true, OutputHash = r.OutputHash, Epoch = 0, Signature = new byte[64] }.SignedBy(signer, state.ChainId);
        }).ToList();

        int next = 0;
        double signature = Measure.BestSecondsPerCall(() =>
        {
            if (!verdicts[next++ % verdicts.Count].HasValidSignature(state.ChainId)) throw new InvalidOperationException("bad verdict signature");
        }, window, total);
        var now = DateTimeOffset.FromUnixTimeSeconds(genesis.Timestamp + 2 * genesis.TargetBlockSeconds);
        double check = Measure.BestSecondsPerCall(() =>
        {
            if (state.CheckItem(verdicts[next++ % verdicts.Count], now) != RejectReason.None) throw new InvalidOperationException("verdict refused");
        }, window, total);
        var candidates = validators.Select((v, i) => new LotteryCandidate(Signing.PublicKeyOf(v), i + 1)).ToList();
        var epochSeed = state.GenesisHash;
        double draw = Measure.BestSecondsPerCall(() =>
        {
            var seed = ValidationLottery.Seed(epochSeed, epochSeed, receipts[next++ % receipts.Count].TaskId);
            ValidationLottery.DrawValidators(seed, candidates, 1 + genesis.EscalationSize);
        }, window, total);
        double perVerdict = SubmitTimed(state, miner, verdicts, verdicts.Count) / verdicts.Count;

        Console.WriteLine($"[verdicts] one verdict's signature check: {Measure.Ms(signature)}");
        Console.WriteLine($"[verdicts] one verdict checked against the chain (entitlement by the recorded draw, deadline, duplicates, signature): {Measure.Ms(check)} = {check / signature:F2} signature checks");
        Console.WriteLine($"[verdicts] one lottery draw (seed, 3 of {Validators} weighted candidates), paid once per receipt: {Measure.Ms(draw)} = {draw / signature:F2} signature checks");
        Console.WriteLine($"[verdicts] block of {Receipts} receipts + {Validators} declarations applied: {Measure.Ms(perReceipt)} per receipt (signature, lottery, ledger) = {perReceipt / signature:F2} signature checks");
        Console.WriteLine($"[verdicts] block of {verdicts.Count} verdicts applied: {Measure.Ms(perVerdict)} per verdict = {perVerdict / signature:F2} signature checks (block overhead included)");
        var references = typeof(ChainState).Assembly.GetReferencedAssemblies().Select(a => a.Name).Where(n => n!.StartsWith("P2P.", StringComparison.Ordinal)).Order();
        Console.WriteLine($"[verdicts] no inference in block validation: P2P.Consensus references only {string.Join(", ", references)}");
    }

    /// <summary>Builds, mines and submits the next block with <paramref name="items"/>; the seconds the submit took.</summary>
    private static double SubmitTimed(ChainState state, Ed25519PrivateKey miner, IReadOnlyList<BodyItem> items, int expected)
    {
        var head = state.Head;
        var time = DateTimeOffset.FromUnixTimeSeconds(head.Timestamp + state.Genesis.TargetBlockSeconds);
        var template = state.BuildTemplate(Signing.PublicKeyOf(miner), items, time);
        if (template.Items.Count != expected) throw new InvalidOperationException($"template took {template.Items.Count} of {expected} items");
        var header = HeaderWork.Mine(state.Math, template.Header, state.EpochSeedForChildOf(head.Hash), 0, 10_000_000) ?? throw new InvalidOperationException("no nonce");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = state.Submit(template with { Header = header }, time);
        sw.Stop();
        if (!result.HeadChanged) throw new InvalidOperationException($"block refused: {result.Reason}");
        return sw.Elapsed.TotalSeconds;
    }

    private static Receipt Receipt(Ed25519PrivateKey executor, byte[] chainId, byte[] model, int task)
    {
        var taskId = new byte[32];
        BitConverter.TryWriteBytes(taskId, task);
        return new Receipt
        {
            Executor = new byte[32],
            TaskId = taskId,
            Model = model,
            ShardStart = 0,
            ShardEnd = 4,
            Deterministic = true,
            SamplingHash = new byte[32],
            InputHash = taskId,
            OutputHash = taskId,
            LogProbCommitment = taskId,
            InputCount = 16,
            OutputCount = 16,
            Epoch = 0,
            Signature = new byte[64],
        }.SignedBy(executor, chainId);
    }

    private static Ed25519PrivateKey Key(int n)
    {
        var seed = new byte[32];
        seed[0] = (byte)n;
        seed[31] = 0x5A;
        return Ed25519PrivateKey.FromSeed(seed);
    }
}
