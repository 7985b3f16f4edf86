using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace P2P.Networking.Pubsub;

/// <summary>A subscription backed by a bounded channel; a subscriber that falls far behind loses the oldest messages, not memory.</summary>
internal sealed class Subscription(string topic, int capacity, Action<Subscription> onDispose) : ISubscription
{
    private readonly Channel<PubsubMessage> _channel = Channel.CreateBounded<PubsubMessage>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = false });
    private int _disposed;

    public string Topic { get; } = topic;

    public void Post(PubsubMessage message) => _channel.Writer.TryWrite(message);

    public async IAsyncEnumerator<PubsubMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var message in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _channel.Writer.TryComplete();
            onDispose(this);
        }
        return ValueTask.CompletedTask;
    }
}
