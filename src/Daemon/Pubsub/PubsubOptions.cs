using P2P.Daemon.Configuration;
using P2P.Networking.Pubsub;

namespace P2P.Daemon.Pubsub;

/// <summary>Gossipsub (section <c>Pubsub</c>): mesh degree, heartbeat, publishing, message size and score thresholds.</summary>
/// <remarks>Defaults are the gossipsub v1.1 spec's and js-libp2p's; the rest of the router's parameters keep those defaults.</remarks>
public sealed class PubsubOptions : IValidatableOptions
{
    // Defaults come from the networking library's options, so each is written once.
    private static readonly GossipsubOptions Library = new();

    public const int MaxMessageSizeLimit = 16 << 20;

    /// <summary>Target mesh degree per topic.</summary>
    public int D { get; set; } = Library.D;

    /// <summary>Below this many mesh peers the heartbeat grafts more.</summary>
    public int DLow { get; set; } = Library.DLow;

    /// <summary>Above this many mesh peers the heartbeat prunes back to <see cref="D"/>.</summary>
    public int DHigh { get; set; } = Library.DHigh;

    /// <summary>Peers outside the mesh that get IHAVE gossip each heartbeat (at least).</summary>
    public int DLazy { get; set; } = Library.DLazy;

    /// <summary>Best-scoring mesh peers always kept when pruning.</summary>
    public int DScore { get; set; } = Library.DScore;

    /// <summary>Outbound (we dialled) peers kept in each mesh, against eclipse by inbound connections.</summary>
    public int DOut { get; set; } = Library.DOut;

    public int HeartbeatIntervalMs { get; set; } = (int)Library.HeartbeatInterval.TotalMilliseconds;

    /// <summary>Our own messages go to every topic peer above the publish threshold, not only the mesh.</summary>
    public bool FloodPublish { get; set; } = Library.FloodPublish;

    /// <summary>PRUNE carries other topic peers (peer exchange) so a pruned peer can find new ones.</summary>
    public bool DoPeerExchange { get; set; } = Library.DoPeerExchange;

    /// <summary>Largest message payload accepted on any topic, in bytes.</summary>
    public int MaxMessageSize { get; set; } = Library.MaxMessageSize;

    /// <summary>Score weight of P6 (peers sharing one IP beyond the threshold); 0 switches it off, e.g. for a swarm on one machine.</summary>
    public double IPColocationFactorWeight { get; set; } = Library.Score.IPColocationFactorWeight;

    /// <summary>Peers allowed per IP before P6 applies.</summary>
    public double IPColocationFactorThreshold { get; set; } = Library.Score.IPColocationFactorThreshold;

    /// <summary>Below this score no gossip is exchanged with a peer.</summary>
    public double GossipThreshold { get; set; } = Library.Thresholds.GossipThreshold;

    /// <summary>Below this score our own messages are not flood-published to a peer.</summary>
    public double PublishThreshold { get; set; } = Library.Thresholds.PublishThreshold;

    /// <summary>Below this score every RPC from a peer is dropped.</summary>
    public double GraylistThreshold { get; set; } = Library.Thresholds.GraylistThreshold;

    /// <summary>Topics joined at start-up and relayed, besides those the node's own services join.</summary>
    public List<string> Topics { get; set; } = [];

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (D is < 1 or > 100) yield return new("D", $"{D} is out of range (1-100)");
        if (DLow < 1 || DLow > D) yield return new("DLow", $"{DLow} must be between 1 and D ({D})");
        if (DHigh < D || DHigh > 1000) yield return new("DHigh", $"{DHigh} must be between D ({D}) and 1000");
        if (DLazy is < 0 or > 1000) yield return new("DLazy", $"{DLazy} is out of range (0-1000)");
        if (DScore < 0 || DScore > DHigh) yield return new("DScore", $"{DScore} must be between 0 and DHigh ({DHigh})");
        if (DOut < 0 || DOut >= DLow || DOut > D / 2) yield return new("DOut", $"{DOut} must be at least 0, below DLow ({DLow}) and at most D/2 ({D / 2})");
        if (HeartbeatIntervalMs is < 100 or > 60_000) yield return new("HeartbeatIntervalMs", $"{HeartbeatIntervalMs} is out of range (100-60000)");
        if (MaxMessageSize is < 1 or > MaxMessageSizeLimit) yield return new("MaxMessageSize", $"{MaxMessageSize} is out of range (1-{MaxMessageSizeLimit})");
        if (!double.IsFinite(IPColocationFactorWeight) || IPColocationFactorWeight > 0) yield return new("IPColocationFactorWeight", $"{IPColocationFactorWeight} must be 0 or negative");
        if (!double.IsFinite(IPColocationFactorThreshold) || IPColocationFactorThreshold < 1) yield return new("IPColocationFactorThreshold", $"{IPColocationFactorThreshold} must be at least 1");
        if (!double.IsFinite(GossipThreshold) || GossipThreshold > 0) yield return new("GossipThreshold", $"{GossipThreshold} must be 0 or negative");
        if (!double.IsFinite(PublishThreshold) || PublishThreshold > GossipThreshold) yield return new("PublishThreshold", $"{PublishThreshold} must be at most GossipThreshold ({GossipThreshold})");
        if (!double.IsFinite(GraylistThreshold) || GraylistThreshold > PublishThreshold) yield return new("GraylistThreshold", $"{GraylistThreshold} must be at most PublishThreshold ({PublishThreshold})");
        for (var i = 0; i < Topics.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Topics[i]) || Topics[i].Length > 256) yield return new($"Topics:{i}", "a topic name must be 1-256 characters");
        }
    }
}
