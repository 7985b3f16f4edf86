using System.Globalization;
using System.Numerics;

namespace P2P.Bench.Soak;

/// <summary>
/// What one node's main chain says at the end of a soak: receipts included (and whether any twice), the receipts the
/// gateways announced and how often each is on chain, the validation tally (and by reason), and the ledger's totals.
/// </summary>
public sealed record ChainAuditResult(
    string Node, ulong Height, int ReceiptsOnChain, IReadOnlyList<string> DuplicateReceipts, int Announced, int AnnouncedOnChain, int AnnouncedTwice,
    ulong Drawn, ulong Valid, ulong Invalid, ulong EpochsClosed, BigInteger Scheduled, ulong Issued, ulong Forfeited, BigInteger Balances,
    IReadOnlyList<string> Problems)
{
    /// <summary>The receipts on chain by state and their verdicts by reason.</summary>
    public VerdictTally Verdicts { get; init; } = VerdictTally.Empty;

    public static ChainAuditResult Failed(string node, string problem) => new(node, 0, 0, [], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, [problem]);

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"node {Node}'s main chain to height {Height}: {ReceiptsOnChain} receipts, {DuplicateReceipts.Count} in two blocks; " +
        $"{Announced} announced by the gateways, {AnnouncedOnChain} of them on chain, {AnnouncedTwice} twice; validation {Drawn} drawn, {Valid} valid, {Invalid} invalid; " +
        $"ledger after {EpochsClosed} closed epochs: issued {Issued} + forfeited {Forfeited} = {Issued + (BigInteger)Forfeited} (schedule {Scheduled}), Σ balances {Balances}");
}
