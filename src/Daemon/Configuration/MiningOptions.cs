namespace P2P.Daemon.Configuration;

/// <summary>The proof-of-work miner (section <c>Mining</c>).</summary>
public sealed class MiningOptions : IValidatableOptions
{
    public bool Enabled { get; set; }

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; set; }

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Threads is < 0 or > 1024) yield return new("Threads", $"{Threads} is out of range (0-1024)");
    }
}
