namespace P2P.Consensus.Ledger;

/// <summary>Chain-wide issuance totals: Issued = Σ scheduled issuance of closed epochs − Forfeited, always.</summary>
public readonly record struct LedgerTotals(ulong Issued, ulong Forfeited, ulong EpochsClosed);
