using P2P.Daemon.Configuration;

namespace P2P.Daemon.Chain;

/// <summary>The chain the node follows (section <c>Chain</c>): a genesis file, or the built-in devnet genesis (<c>--devnet</c>). Neither: no chain service.</summary>
public sealed class ChainOptions : IValidatableOptions
{
    /// <summary>Path of a genesis JSON file (docs/consensus.md §1); relative paths are under the data directory.</summary>
    public string Genesis { get; set; } = "";

    /// <summary>The built-in devnet genesis (set by <c>p2pd run --devnet</c>).</summary>
    public bool Devnet { get; set; }

    public bool Enabled => Devnet || !string.IsNullOrEmpty(Genesis);

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (Devnet && !string.IsNullOrEmpty(Genesis)) yield return new("Genesis", "set either Chain:Genesis or --devnet, not both");
        else if (!string.IsNullOrEmpty(Genesis) && !File.Exists(dataDirectory.Resolve(Genesis)))
            yield return new("Genesis", $"genesis file {dataDirectory.Resolve(Genesis)} does not exist");
    }
}
