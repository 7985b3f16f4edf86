namespace P2P.Consensus.Sync;

/// <summary>Knobs of <see cref="ChainSynchronizer"/>; the defaults suit the devnet.</summary>
public sealed record SyncOptions
{
    /// <summary>One sync exchange, on the injected clock; a peer that does not answer in time loses its work to another.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a caught-up node asks its peers for their status again (gossip carries new blocks in between).</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Headers asked for per request (at most <see cref="SyncLimits.MaxHeadersPerResponse"/>).</summary>
    public int HeadersPerRequest { get; init; } = SyncLimits.MaxHeadersPerResponse;

    /// <summary>Validated headers held before their bodies: the memory bound against an endless header chain.</summary>
    public int MaxPendingHeaders { get; init; } = 4096;

    /// <summary>Blocks asked for per bodies request (at most <see cref="SyncLimits.MaxBodiesPerRequest"/>).</summary>
    public int BodiesPerRequest { get; init; } = 16;

    /// <summary>Bodies requests in flight at once, spread over the peers that have them.</summary>
    public int ParallelRequests { get; init; } = 4;

    /// <summary>Bodies requests in flight to one peer (pipelining hides the round trip; below the servers' per-peer inbound limit).</summary>
    public int RequestsPerPeer { get; init; } = 2;

    /// <summary>Status requests in flight at once while polling peers.</summary>
    public int MaxPeersPolled { get; init; } = 16;

    public int MaxInboundPerPeer { get; init; } = 4;

    public int MaxInbound { get; init; } = 32;

    /// <summary>How long a peer that served invalid data (or is of another chain) is banned.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Penalty for a peer that timed out or could not serve what it announced (it decays; not a ban).</summary>
    public double FailurePenalty { get; init; } = 5;

    /// <summary>Penalty reported with a ban for invalid data.</summary>
    public double MisbehaviourPenalty { get; init; } = 100;

    public void Validate()
    {
        if (HeadersPerRequest is < 1 or > SyncLimits.MaxHeadersPerResponse) throw new ArgumentOutOfRangeException(nameof(HeadersPerRequest));
        if (BodiesPerRequest is < 1 or > SyncLimits.MaxBodiesPerRequest) throw new ArgumentOutOfRangeException(nameof(BodiesPerRequest));
        if (MaxPendingHeaders < HeadersPerRequest) throw new ArgumentOutOfRangeException(nameof(MaxPendingHeaders), "must hold one headers response");
        if (ParallelRequests < 1 || MaxPeersPolled < 1 || RequestsPerPeer < 1) throw new ArgumentOutOfRangeException(nameof(ParallelRequests));
        if (RequestTimeout <= TimeSpan.Zero || RecheckInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout));
    }
}
