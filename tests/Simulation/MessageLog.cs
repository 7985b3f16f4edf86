using P2P.Networking.Pubsub;

namespace P2P.Simulation;

/// <summary>
/// Everything delivered to one peer on one topic, recorded at the moment the router delivers it (on the thread that
/// runs the simulation), so what a test sees depends only on simulated time, never on thread scheduling.
/// </summary>
public sealed class MessageLog : IAsyncDisposable
{
    private readonly ISubscription _subscription;
    private readonly List<PubsubMessage> _messages = [];

    internal MessageLog(ISubscription subscription)
    {
        _subscription = subscription;
    }

    public string Topic => _subscription.Topic;

    public IReadOnlyList<PubsubMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Payloads as UTF-8 text, in arrival order.</summary>
    public IReadOnlyList<string> Texts => Messages.Select(m => System.Text.Encoding.UTF8.GetString(m.Data.Span)).ToArray();

    public bool Contains(string text) => Texts.Contains(text);

    internal void Add(PubsubMessage message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }

    /// <summary>Leaves the topic (the subscription that joined it).</summary>
    public ValueTask DisposeAsync() => _subscription.DisposeAsync();
}
