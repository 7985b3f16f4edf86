using System.Collections.Concurrent;

namespace P2P.Networking.Pubsub;

/// <summary>Gossipsub router parameters; defaults are the spec's (and js-libp2p's) defaults.</summary>
public sealed class GossipsubOptions
{
    public const string SectionName = "Pubsub";

    public int D { get; set; } = 6;
    public int DLow { get; set; } = 4;
    public int DHigh { get; set; } = 12;
    public int DLazy { get; set; } = 6;
    public int DScore { get; set; } = 4;
    public int DOut { get; set; } = 2;
    public double GossipFactor { get; set; } = 0.25;
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan FanoutTtl { get; set; } = TimeSpan.FromSeconds(60);
    public int HistoryLength { get; set; } = 5;
    public int HistoryGossip { get; set; } = 3;
    public TimeSpan SeenTtl { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan PruneBackoff { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan UnsubscribeBackoff { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Extra time before a peer may GRAFT again after its backoff, to absorb clock skew.</summary>
    public TimeSpan BackoffSlack { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>A GRAFT this soon after a PRUNE counts as a flood and earns an extra penalty.</summary>
    public TimeSpan GraftFloodThreshold { get; set; } = TimeSpan.FromSeconds(10);
    public bool FloodPublish { get; set; } = true;
    public bool DoPeerExchange { get; set; } = true;
    public int PrunePeers { get; set; } = 16;
    public int OpportunisticGraftTicks { get; set; } = 60;
    public int OpportunisticGraftPeers { get; set; } = 2;
    public int MaxIHaveLength { get; set; } = 5000;
    public int MaxIHaveMessages { get; set; } = 10;
    /// <summary>Messages served to one peer's IWANTs per heartbeat.</summary>
    public int MaxIWantPerHeartbeat { get; set; } = 5000;
    public int GossipRetransmission { get; set; } = 3;
    /// <summary>Messages at least this large trigger IDONTWANT to 1.2 mesh peers (js's default).</summary>
    public int IDontWantMinDataSize { get; set; } = 512;
    /// <summary>IDONTWANT ids accepted from one peer per heartbeat; more are ignored.</summary>
    public int MaxIDontWantIds { get; set; } = 5000;
    /// <summary>Heartbeats an IDONTWANT is remembered.</summary>
    public int IDontWantHeartbeats { get; set; } = 3;
    public TimeSpan IWantFollowupTime { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Largest message payload accepted on a topic that has no entry in <see cref="MaxMessageSizeByTopic"/>.</summary>
    public int MaxMessageSize { get; set; } = 1 << 20;
    public ConcurrentDictionary<string, int> MaxMessageSizeByTopic { get; } = new(StringComparer.Ordinal);
    /// <summary>Largest length-prefixed RPC read from a stream; a larger one closes that stream.</summary>
    public int MaxRpcSize { get; set; } = 4 << 20;
    public int ValidationQueueSize { get; set; } = 1024;
    /// <summary>Peers we always forward to and never mesh or score (by text peer id).</summary>
    public HashSet<string> DirectPeers { get; } = new(StringComparer.Ordinal);
    public PeerScoreParams Score { get; set; } = new();
    public PeerScoreThresholds Thresholds { get; set; } = new();

    public int MaxMessageSizeFor(string topic) =>
        MaxMessageSizeByTopic.TryGetValue(topic, out var size) ? size : MaxMessageSize;
}
