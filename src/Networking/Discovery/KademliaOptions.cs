namespace P2P.Networking.Discovery;

/// <summary>Kademlia DHT parameters (k, α, timeouts, refresh) and discovery targets.</summary>
public sealed class KademliaOptions
{
    public const string SectionName = "Discovery";

    /// <summary>Bucket size and the number of peers a FIND_NODE answer carries.</summary>
    public int K { get; set; } = 20;

    /// <summary>Queries in flight during a lookup.</summary>
    public int Alpha { get; set; } = 10;

    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a random-walk lookup refreshes the table (the first walk, a self-lookup, runs at start).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long addresses learned from FIND_NODE answers stay in the peer store.</summary>
    public TimeSpan AddressTtl { get; set; } = TimeSpan.FromMinutes(30);

    public int MaxMessageSize { get; set; } = 64 << 10;

    /// <summary>The discovery loop dials discovered peers while fewer than this many are connected.</summary>
    public int TargetPeers { get; set; } = 8;

    /// <summary>How often the discovery loop checks the peer count and re-dials.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
