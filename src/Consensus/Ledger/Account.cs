namespace P2P.Consensus.Ledger;

/// <summary>An account: its balance and the nonce its next transfer must carry.</summary>
public readonly record struct Account(ulong Balance, ulong Nonce)
{
    public static Account Empty => default;

    public bool IsEmpty => Balance == 0 && Nonce == 0;
}
