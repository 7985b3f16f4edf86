using System.Numerics;
using P2P.Consensus.Ledger;
using P2P.Consensus.Simulation.Chain;
using P2P.Consensus.Simulation.Nodes;
using Xunit.Abstractions;

namespace P2P.Consensus.Simulation.Tests.Acceptance;

/// <summary>
/// Issue #15, ledger side of acceptance 2 and 3, in the simulator: six miners that also execute work, declare and
/// judge — one a cheating executor, one a lying validator — over four epochs of 12 blocks with every receipt drawn.
/// The cheater loses every receipt that becomes final and forfeits; the liar loses every escalation it starts and
/// forfeits; no honest node ever forfeits; issued = schedule − forfeits; all nodes end on one state.
/// </summary>
public sealed class AccountabilityTests(ITestOutputHelper output)
{
    private const int Epochs = 4;
    private const int EpochLength = 12;

    [Fact]
    public void CheatingExecutor_AndLyingValidator_Forfeit_HonestNodesNever()
    {
        var genesis = SimulationGenesis.Create(EpochLength, shareShift: 3) with { VerdictDeadlineBlocks = 4 };
        var settings = SimulationFixture.Settings10(seed: 15, genesis, nodes: 6) with
        {
            Roles = [NodeRole.CheatingExecutor, NodeRole.LyingValidator],
        };
        settings = settings with { Node = settings.Node with { TransferIntervalMicros = 0, ReceiptIntervalMicros = genesis.TargetBlockSeconds * 2_000_000 } };
        using var fixture = new SimulationFixture(settings);
        var simulation = fixture.Simulation;
        simulation.StartExecuting();
        simulation.MineToAgreedHeight(Epochs * EpochLength, maxVirtualSeconds: Epochs * EpochLength * genesis.TargetBlockSeconds * 4);
        var report = simulation.Report();
        output.WriteLine(report.ToString());
        Assert.True(report.AllOnOneHead && report.AllOnOneDigest, "all nodes end on one head and one state digest");

        var state = ((CoreChain)simulation.Nodes[2].Chain).State;
        var keys = simulation.Nodes.Select(n => n.MinerKey).ToList();
        var byExecutor = new Dictionary<int, List<ReceiptState>>();
        foreach (var block in simulation.Nodes[2].Chain.MainChain())
        {
            foreach (var receipt in block.Items.OfType<P2P.Consensus.Blocks.Receipt>())
            {
                int executor = keys.FindIndex(k => k.AsSpan().SequenceEqual(receipt.Executor));
                var status = state.GetReceiptStatus(receipt.Id(state.ChainId))!;
                (byExecutor.TryGetValue(executor, out var list) ? list : byExecutor[executor] = []).Add(status.State);
            }
        }
        foreach (var (executor, states) in byExecutor.OrderBy(e => e.Key))
            output.WriteLine($"node {executor} ({simulation.Nodes[executor].Role}): {string.Join(", ", states.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"))}");

        // The cheater is caught in every receipt that became final; honest executors never lose one.
        Assert.Contains(ReceiptState.FinalInvalid, byExecutor[0]);
        Assert.DoesNotContain(ReceiptState.FinalValid, byExecutor[0]);
        foreach (int honest in byExecutor.Keys.Where(k => k != 0))
            Assert.DoesNotContain(ReceiptState.FinalInvalid, byExecutor[honest]);

        var forfeiters = new HashSet<int>();
        BigInteger forfeited = 0;
        for (ulong epoch = 0; epoch < state.Totals.EpochsClosed; epoch++)
        {
            var record = state.GetEpochRecord(epoch)!;
            output.WriteLine($"epoch {epoch}: {record.Validation}, forfeited {record.Forfeited}");
            forfeited += record.Forfeited;
            foreach (var key in record.Forfeits) forfeiters.Add(keys.FindIndex(k => k.AsSpan().SequenceEqual(key)));
        }
        Assert.Equal([0, 1], forfeiters.Order());
        Assert.True(forfeited > 0);
        var totals = state.Totals;
        Assert.Equal(state.ScheduledIssuance, (BigInteger)totals.Issued + totals.Forfeited);
        Assert.Equal(forfeited, (BigInteger)totals.Forfeited);
        Assert.Equal((BigInteger)totals.Issued, state.Accounts().Aggregate(BigInteger.Zero, (sum, a) => sum + a.Account.Balance));
    }
}
