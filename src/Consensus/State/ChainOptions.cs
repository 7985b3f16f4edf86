using P2P.Consensus.Rules;

namespace P2P.Consensus.State;

/// <summary>Local (non-consensus) settings of a chain state.</summary>
public sealed record ChainOptions
{
    /// <summary>fsync each block's batch; a process crash is safe either way, power loss only with this on.</summary>
    public bool SyncWrites { get; init; } = true;
    /// <summary>Check the stored chain's structure and totals on open (docs/consensus.md §8.3).</summary>
    public bool ParanoidChecks { get; init; } = true;
    public int OrphanLimit { get; init; } = 256;
    public long OrphanByteLimit { get; init; } = 16L << 20;
    /// <summary>Hashes of rejected, never-stored blocks remembered as invalid.</summary>
    public int InvalidMemory { get; init; } = 10_000;
    /// <summary>Shares whose work was verified, remembered so templates, relay checks and blocks verify each once.</summary>
    public int VerifiedShareCapacity { get; init; } = VerifiedShareCache.DefaultCapacity;
}
