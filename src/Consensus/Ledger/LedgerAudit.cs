using System.Numerics;

namespace P2P.Consensus.Ledger;

/// <summary>
/// The ledger's totals beside the schedule and the sum of all balances, read at one head: on a sound ledger
/// Issued + Forfeited = Scheduled and Balances = Issued (docs/consensus.md §7).
/// </summary>
public sealed record LedgerAudit(ulong Height, byte[] HeadHash, ulong EpochsClosed, BigInteger Scheduled, ulong Issued, ulong Forfeited, BigInteger Balances, int Accounts)
{
    public bool Holds => Issued + (BigInteger)Forfeited == Scheduled && Balances == Issued;
}
