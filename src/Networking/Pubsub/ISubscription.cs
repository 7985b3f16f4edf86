namespace P2P.Networking.Pubsub;

/// <summary>A live topic subscription: enumerate it for messages, dispose it to leave the topic.</summary>
public interface ISubscription : IAsyncEnumerable<PubsubMessage>, IAsyncDisposable
{
    string Topic { get; }
}
