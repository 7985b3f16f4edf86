using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>Publish/subscribe as the rest of the node uses it (consensus, inference network), plus introspection.</summary>
public interface IPubSub
{
    PeerId LocalPeer { get; }

    /// <summary>Joins the topic now; messages arrive through the returned subscription until it is disposed.</summary>
    ISubscription Subscribe(string topic);

    /// <summary>Signs and sends a message; the result says how many peers it went to directly.</summary>
    ValueTask<PublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Sets the topic's validator; messages are forwarded only after it accepts them.</summary>
    void RegisterValidator(string topic, MessageValidator validator);

    IReadOnlyList<TopicView> Topics();

    IReadOnlyList<PeerInfoView> Peers();

    double GetScore(PeerId peer);
}
