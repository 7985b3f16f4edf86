using System.Diagnostics.Metrics;

namespace P2P.Accountability.Metrics;

/// <summary>
/// The accountability meter <c>P2P.Accountability</c>: what the gateway's <see cref="Receipts.ReceiptRepublisher"/> did
/// with the receipts it published — published again, seen in a block, given up on (tag reason: expired, evicted).
/// </summary>
public static class AccountabilityMetrics
{
    public const string MeterName = "P2P.Accountability";

    public const string ReceiptsRepublishedName = "p2p.receipts.republished";
    public const string ReceiptsLandedName = "p2p.receipts.landed";
    public const string ReceiptsDroppedName = "p2p.receipts.dropped";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Republished = Meter.CreateCounter<long>(ReceiptsRepublishedName, "{receipt}", "Receipts this gateway published again because no block had included them yet");
    private static readonly Counter<long> Landed = Meter.CreateCounter<long>(ReceiptsLandedName, "{receipt}", "Receipts this gateway published that a main-chain block included");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>(ReceiptsDroppedName, "{receipt}", "Receipts this gateway stopped publishing without seeing them in a block (tag reason: expired, evicted)");

    internal static void ReceiptRepublished() => Republished.Add(1);

    internal static void ReceiptLanded() => Landed.Add(1);

    internal static void ReceiptExpired() => Dropped.Add(1, new KeyValuePair<string, object?>("reason", "expired"));

    internal static void ReceiptEvicted() => Dropped.Add(1, new KeyValuePair<string, object?>("reason", "evicted"));
}
