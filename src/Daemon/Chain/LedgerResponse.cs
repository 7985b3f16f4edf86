namespace P2P.Daemon.Chain;

/// <summary>
/// <c>GET /api/v1/ledger</c>: the issuance totals, the schedule of the closed epochs and Σ balances at one head; on a sound
/// ledger issued + forfeited = scheduled and balances = issued (<c>holds</c>). Big sums are decimal strings.
/// </summary>
public sealed record LedgerResponse(ulong Height, string HeadHash, ulong EpochsClosed, string Scheduled, ulong Issued, ulong Forfeited, string Balances, int Accounts, bool Holds);
