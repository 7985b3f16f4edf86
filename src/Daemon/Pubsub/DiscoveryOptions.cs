using P2P.Daemon.Configuration;
using P2P.Networking.Discovery;

namespace P2P.Daemon.Pubsub;

/// <summary>Peer discovery (section <c>Discovery</c>): the Kademlia DHT and the loop that keeps enough peers connected.</summary>
public sealed class DiscoveryOptions : IValidatableOptions
{
    // Defaults come from the networking library's options, so each is written once.
    private static readonly KademliaOptions Library = new();

    /// <summary>Serve <c>/ipfs/kad/1.0.0</c> and run the discovery loop; off, the node only knows its bootstrap peers and who dials it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The loop dials peers learned from the DHT, identify and peer exchange while fewer than this many are connected.</summary>
    public int TargetPeers { get; set; } = Library.TargetPeers;

    /// <summary>How often the loop checks the peer count (and, when short, runs a random-walk lookup).</summary>
    public int DiscoveryIntervalSeconds { get; set; } = (int)Library.DiscoveryInterval.TotalSeconds;

    /// <summary>How often a random-walk lookup refreshes the routing table even when enough peers are connected.</summary>
    public int RandomWalkIntervalSeconds { get; set; } = (int)Library.RefreshInterval.TotalSeconds;

    /// <summary>Kademlia bucket size and the number of peers a FIND_NODE answer carries.</summary>
    public int K { get; set; } = Library.K;

    /// <summary>FIND_NODE queries in flight during a lookup.</summary>
    public int Alpha { get; set; } = Library.Alpha;

    public int QueryTimeoutSeconds { get; set; } = (int)Library.QueryTimeout.TotalSeconds;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (TargetPeers is < 0 or > 10_000) yield return new("TargetPeers", $"{TargetPeers} is out of range (0-10000)");
        if (DiscoveryIntervalSeconds is < 1 or > 3600) yield return new("DiscoveryIntervalSeconds", $"{DiscoveryIntervalSeconds} is out of range (1-3600)");
        if (RandomWalkIntervalSeconds is < 1 or > 86_400) yield return new("RandomWalkIntervalSeconds", $"{RandomWalkIntervalSeconds} is out of range (1-86400)");
        if (K is < 1 or > 100) yield return new("K", $"{K} is out of range (1-100)");
        if (Alpha is < 1 or > 100) yield return new("Alpha", $"{Alpha} is out of range (1-100)");
        if (QueryTimeoutSeconds is < 1 or > 300) yield return new("QueryTimeoutSeconds", $"{QueryTimeoutSeconds} is out of range (1-300)");
    }
}
