namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Behaviour of every simulated node: gossip, parent fetching and memory bounds.</summary>
public sealed record NodeSettings
{
    /// <summary>How long a parent request waits for its answer before asking another peer.</summary>
    public long ParentRequestTimeoutMicros { get; init; } = 2_000_000;

    /// <summary>Attempts per missing parent before giving up until the next announcement names it again.</summary>
    public int ParentRequestAttempts { get; init; } = 6;

    /// <summary>Orphans a node keeps while fetching their ancestors; the oldest go first.</summary>
    public int MaxOrphans { get; init; } = 2048;

    /// <summary>Shares a node keeps for its templates (shares of past epochs are pruned first); it remembers 4× as many share ids as seen.</summary>
    public int MaxPooledShares { get; init; } = 8192;

    /// <summary>
    /// A template is rebuilt at once when the head moves; for new shares only once it is this old (0: at once), as
    /// pool miners refresh work periodically. Each rebuild re-checks the candidate shares not yet credited; their work
    /// is verified once per share and epoch seed (the core's VerifiedShareCache).
    /// </summary>
    public long TemplateRefreshMicros { get; init; }

    /// <summary>
    /// Every this long (0: never), a node with a balance pays a tenth of it (plus a fee of <see cref="TransferFee"/>)
    /// to a random peer by a signed transfer, gossiped and included by templates: rewards move, fees go to miners,
    /// and reorganisations must undo both.
    /// </summary>
    public long TransferIntervalMicros { get; init; }

    public ulong TransferFee { get; init; } = 1_000;

    /// <summary>
    /// Every this long (0: never), a node executes work and gossips a signed receipt; nodes then also declare the
    /// simulated model span each epoch and judge the receipts the lottery assigns them (their <see cref="NodeRole"/> decides how).
    /// </summary>
    public long ReceiptIntervalMicros { get; init; }

    /// <summary>Every this long, a node announces its head to all peers (0: never), which heals losses and partitions.</summary>
    public long HeadAnnounceIntervalMicros { get; init; }
}
