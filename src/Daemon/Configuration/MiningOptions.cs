namespace P2P.Daemon.Configuration;

/// <summary>The proof-of-work miner (section <c>Mining</c>); it runs when a chain is configured (<c>Chain</c>) and <c>Enabled</c> is set.</summary>
public sealed class MiningOptions : IValidatableOptions
{
    public bool Enabled { get; set; }

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; set; }

    /// <summary>Ed25519 public key (64 hex digits) credited for mined work; empty means the node key.</summary>
    public string RewardKey { get; set; } = "";

    public int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Threads is < 0 or > 1024) yield return new("Threads", $"{Threads} is out of range (0-1024)");
        if (!string.IsNullOrEmpty(RewardKey) && (RewardKey.Length != 64 || !RewardKey.All(Uri.IsHexDigit)))
            yield return new("RewardKey", "must be an Ed25519 public key as 64 hex digits");
    }
}
