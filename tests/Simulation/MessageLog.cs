using P2P.Networking.Pubsub;

namespace P2P.Simulation;

/// <summary>Everything delivered to one subscription, read in the background, for assertions.</summary>
public sealed class MessageLog : IAsyncDisposable
{
    private readonly ISubscription _subscription;
    private readonly List<PubsubMessage> _messages = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public MessageLog(ISubscription subscription)
    {
        _subscription = subscription;
        _pump = Task.Run(PumpAsync);
    }

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

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in _subscription.WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                lock (_messages)
                {
                    _messages.Add(message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
    }
}
