using System.Globalization;
using System.Numerics;
using System.Text;
using P2P.Consensus.Blocks;
using P2P.Consensus.Simulation.Chain;

namespace P2P.Consensus.Simulation;

/// <summary>What a run produced: heads, digests, reorg depths, reward share against hash-rate share, and speed.</summary>
public sealed record SimulationReport(
    int Seed,
    IReadOnlyList<NodeReport> Nodes,
    ulong Height,
    int ClosedEpochs,
    BigInteger Issued,
    int CreditedShares,
    double MeanBlockSeconds,
    double VirtualSeconds,
    double WallSeconds,
    int BlocksMined,
    IReadOnlyDictionary<int, int> ReorgDepthCounts,
    string Network,
    string WallTimeSplit,
    int OrphansReceived,
    int ParentRequests)
{
    public double BlocksPerWallSecond => WallSeconds > 0 ? BlocksMined / WallSeconds : 0;
    public double VirtualToWall => WallSeconds > 0 ? VirtualSeconds / WallSeconds : 0;

    public bool AllOnOneHead => Nodes.Select(n => n.HeadHash).Distinct().Count() == 1;
    public bool AllOnOneDigest => Nodes.Select(n => n.Digest).Distinct().Count() == 1;

    internal static SimulationReport From(ConsensusSimulation simulation)
    {
        var reference = simulation.Nodes[0].Chain;
        var snapshot = reference.Snapshot();
        var mainChain = reference.MainChain();
        var credited = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var block in mainChain)
        {
            Count(credited, block.Header.Miner);
            foreach (var item in block.Items)
                if (item is Share share) Count(credited, share.Header.Miner);
        }
        int creditedTotal = credited.Values.Sum();
        double rateTotal = simulation.Nodes.Sum(n => n.NoncesPerSecond);
        // Reward share from the epoch records (balances also move with transfers and fees).
        var rewards = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var epoch in snapshot.EpochRewards.Values)
            foreach (var (miner, reward) in epoch)
                rewards[miner] = rewards.GetValueOrDefault(miner) + reward;
        BigInteger rewardTotal = rewards.Values.Aggregate(BigInteger.Zero, (a, v) => a + v);

        var nodes = simulation.Nodes.Select(n =>
        {
            var head = n.Chain.Head;
            var own = n.Chain.Snapshot();
            ulong balance = snapshot.Balances.GetValueOrDefault(n.MinerHex);
            return new NodeReport(
                n.Index, n.MinerHex, n.NoncesPerSecond, n.NoncesPerSecond / rateTotal, head.Height,
                Convert.ToHexStringLower(head.Hash), Convert.ToHexStringLower(own.Digest), balance,
                rewardTotal.IsZero ? 0 : (double)rewards.GetValueOrDefault(n.MinerHex) / (double)rewardTotal,
                n.Statistics.BlocksMined, n.Statistics.SharesMined, credited.GetValueOrDefault(n.MinerHex),
                n.Statistics.Reorgs, n.Statistics.MaxReorgDepth, n.Statistics.NoncesTried, n.Statistics.TransfersSent);
        }).ToList();

        var depths = simulation.Nodes.SelectMany(n => n.Statistics.ReorgDepths)
            .GroupBy(d => d).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        ulong height = reference.Head.Height;
        long genesisTime = simulation.Settings.Genesis.Timestamp;
        double meanBlock = height == 0 ? 0 : (double)(mainChain[^1].Header.Timestamp - genesisTime) / height;
        return new SimulationReport(
            simulation.Settings.Seed, nodes, height, (int)(height / (ulong)simulation.Settings.Genesis.EpochLength),
            snapshot.Issued, creditedTotal, meanBlock, simulation.VirtualSeconds, simulation.WallTime.TotalSeconds,
            simulation.BlocksMined, depths, simulation.Network.Statistics.ToString(), WallSplit(simulation),
            simulation.Nodes.Sum(n => n.Statistics.OrphansReceived), simulation.Nodes.Sum(n => n.Statistics.ParentRequests));
    }

    private static string WallSplit(ConsensusSimulation simulation)
    {
        var stats = simulation.Nodes.Select(n => n.Statistics).ToList();
        double mining = stats.Sum(s => s.MiningTime.TotalSeconds), templates = stats.Sum(s => s.TemplateTime.TotalSeconds);
        double submit = stats.Sum(s => s.SubmitTime.TotalSeconds), shares = stats.Sum(s => s.ShareCheckTime.TotalSeconds);
        double other = Math.Max(0, simulation.WallTime.TotalSeconds - mining - templates - submit - shares);
        return string.Create(CultureInfo.InvariantCulture,
            $"mining {mining:F2} s, templates {templates:F2} s ({stats.Sum(s => s.JobsBuilt)} built), block validation+apply {submit:F2} s, share checks {shares:F2} s, network and rest {other:F2} s");
    }

    private static void Count(Dictionary<string, int> counts, byte[] miner)
    {
        string key = Convert.ToHexStringLower(miner);
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>The half-width of a binomial interval of <paramref name="sigmas"/> standard deviations on a miner's share of <paramref name="trials"/> credited shares.</summary>
    public static double BinomialBound(double p, int trials, double sigmas) => sigmas * Math.Sqrt(p * (1 - p) / Math.Max(1, trials));

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"seed {Seed}: height {Height}, {ClosedEpochs} closed epochs, issued {Issued}, {CreditedShares} credited shares, mean block {MeanBlockSeconds:F2} s");
        s.AppendLine(c, $"  {BlocksMined} blocks mined in {VirtualSeconds:F0} virtual s, {WallSeconds:F2} wall s: {BlocksPerWallSecond:F1} blocks/s, {VirtualToWall:F0}x real time");
        s.AppendLine(c, $"  one head: {AllOnOneHead}, one digest: {AllOnOneDigest}; reorg depths {(ReorgDepthCounts.Count == 0 ? "none" : string.Join(", ", ReorgDepthCounts.Select(kv => $"{kv.Key}:{kv.Value}")))}");
        s.AppendLine(c, $"  network: {Network}; {OrphansReceived} orphans received, {ParentRequests} parent requests");
        s.AppendLine(c, $"  wall time: {WallTimeSplit}");
        s.AppendLine("  node  rate  hash%  reward%  credited  mined  shares  reorgs  maxdepth  transfers  balance  head");
        foreach (var n in Nodes)
            s.AppendLine(c, $"  {n.Index,4} {n.NonceRate,5:F2} {n.HashRateShare * 100,6:F2} {n.RewardShare * 100,8:F2} {n.CreditedShares,9} {n.BlocksMined,6} {n.SharesMined,7} {n.Reorgs,7} {n.MaxReorgDepth,9} {n.TransfersSent,10} {n.Balance,12}  {n.HeadHeight}:{n.HeadHash[..12]} {n.Digest[..12]}");
        return s.ToString();
    }
}
