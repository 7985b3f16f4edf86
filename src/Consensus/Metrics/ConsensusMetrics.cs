using System.Diagnostics.Metrics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;

namespace P2P.Consensus.Metrics;

/// <summary>
/// The consensus meter <c>P2P.Consensus</c>: blocks connected and rejected, reorganisations and their depth, body items
/// applied by type, validation verdicts by outcome, shares entering the pool. Events only; the state a node is in (head
/// height, sync target, hash rate) is observed by the daemon from the chain's own snapshots. Tags are bounded enums.
/// </summary>
public static class ConsensusMetrics
{
    public const string MeterName = "P2P.Consensus";

    public const string BlocksConnectedName = "p2p.chain.blocks.connected";
    public const string BlocksRejectedName = "p2p.chain.blocks.rejected";
    public const string ReorgsName = "p2p.chain.reorgs";
    public const string ReorgDepthName = "p2p.chain.reorg.depth";
    public const string ItemsAppliedName = "p2p.chain.items.applied";
    public const string VerdictsAppliedName = "p2p.validation.verdicts.applied";
    public const string SharesPooledName = "p2p.chain.shares.pooled";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> BlocksConnected = Meter.CreateCounter<long>(BlocksConnectedName, "{block}", "Blocks connected to the main chain (again after a reorganisation)");
    private static readonly Counter<long> BlocksRejected = Meter.CreateCounter<long>(BlocksRejectedName, "{block}", "Blocks found invalid (tag reason)");
    private static readonly Counter<long> Reorgs = Meter.CreateCounter<long>(ReorgsName, "{reorg}", "Reorganisations: head moves that disconnected at least one block");
    private static readonly Histogram<long> ReorgDepth = Meter.CreateHistogram<long>(ReorgDepthName, "{block}", "Blocks disconnected by one reorganisation",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 128] });
    private static readonly Counter<long> ItemsApplied = Meter.CreateCounter<long>(ItemsAppliedName, "{item}", "Body items of connected blocks (tag type: share, transfer, receipt, verdict)");
    private static readonly Counter<long> VerdictsApplied = Meter.CreateCounter<long>(VerdictsAppliedName, "{verdict}", "Validation verdicts in connected blocks (tag outcome: valid, invalid)");
    private static readonly Counter<long> SharesPooled = Meter.CreateCounter<long>(SharesPooledName, "{share}", "Shares new to the share pool, mined here or received");

    // Indexed by BodyItemType's byte value; index 0 is unused.
    private static readonly KeyValuePair<string, object?>[] TypeTags =
        [default, Tag("type", "share"), Tag("type", "transfer"), Tag("type", "receipt"), Tag("type", "verdict")];

    internal static void BlockConnected(Block block)
    {
        BlocksConnected.Add(1);
        Span<long> perType = stackalloc long[TypeTags.Length];
        long validVerdicts = 0, invalidVerdicts = 0;
        foreach (var item in block.Items)
        {
            if ((int)item.Type < perType.Length) perType[(int)item.Type]++;
            if (item is Verdict verdict)
            {
                if (verdict.Valid) validVerdicts++; else invalidVerdicts++;
            }
        }
        for (int type = 1; type < TypeTags.Length; type++)
        {
            if (perType[type] > 0) ItemsApplied.Add(perType[type], TypeTags[type]);
        }
        if (validVerdicts > 0) VerdictsApplied.Add(validVerdicts, Tag("outcome", "valid"));
        if (invalidVerdicts > 0) VerdictsApplied.Add(invalidVerdicts, Tag("outcome", "invalid"));
    }

    internal static void BlockRejected(RejectReason reason) => BlocksRejected.Add(1, Tag("reason", reason.ToString()));

    internal static void Reorganised(int depth)
    {
        Reorgs.Add(1);
        ReorgDepth.Record(depth);
    }

    internal static void SharePooled() => SharesPooled.Add(1);

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
