namespace P2P.Networking.Pubsub;

/// <summary>The pubsub protocol a peer negotiated; decides which control features it understands.</summary>
public enum GossipProtocol
{
    /// <summary><c>/meshsub/1.0.0</c>: no peer exchange, no backoff field.</summary>
    Meshsub10,
    /// <summary><c>/meshsub/1.1.0</c>.</summary>
    Meshsub11,
    /// <summary><c>/meshsub/1.2.0</c>: 1.1 plus IDONTWANT.</summary>
    Meshsub12,
}
