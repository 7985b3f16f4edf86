namespace P2P.Networking.Pubsub;

/// <summary>A topic handle that forwards to its <see cref="IPubSub"/>.</summary>
internal sealed class PubSubTopic(IPubSub pubsub, string name) : ITopic
{
    public string Name => name;

    public ValueTask<PublishResult> PublishAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        pubsub.PublishAsync(name, data, cancellationToken);

    public ISubscription Subscribe() => pubsub.Subscribe(name);
}
