namespace P2P.Networking.Pubsub;

/// <summary>A joined topic, with its options applied: publish to it and subscribe to it.</summary>
public interface ITopic
{
    string Name { get; }

    /// <summary>Signs and sends a message (through the mesh when subscribed, else through fanout peers).</summary>
    ValueTask<PublishResult> PublishAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Joins the topic's mesh; messages arrive until the subscription is disposed.</summary>
    ISubscription Subscribe();
}
