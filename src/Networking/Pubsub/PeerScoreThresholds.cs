namespace P2P.Networking.Pubsub;

/// <summary>Score thresholds (gossipsub v1.1); defaults are js-libp2p's.</summary>
public sealed class PeerScoreThresholds
{
    /// <summary>Below this no gossip is sent to or accepted from the peer.</summary>
    public double GossipThreshold { get; set; } = -10;
    /// <summary>Below this our own messages are not flood-published to the peer.</summary>
    public double PublishThreshold { get; set; } = -50;
    /// <summary>Below this every RPC from the peer is dropped.</summary>
    public double GraylistThreshold { get; set; } = -80;
    /// <summary>Peer exchange in a PRUNE is followed only from peers at or above this.</summary>
    public double AcceptPXThreshold { get; set; } = 10;
    /// <summary>When the mesh's median score is below this, better peers are grafted opportunistically.</summary>
    public double OpportunisticGraftThreshold { get; set; } = 20;
}
