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

    /// <summary>
    /// Applies the topic's options (validator, size limit, score parameters) and returns a handle to publish and
    /// subscribe. The default applies only a validator; implementations that can do more override it.
    /// </summary>
    ITopic Join(string topic, TopicOptions options)
    {
        if (options.MaxMessageSize is not null || options.Score is not null)
        {
            throw new NotSupportedException($"{GetType().Name} does not support per-topic size limits or score parameters");
        }
        if (options.Validator is { } validator)
        {
            RegisterValidator(topic, validator);
        }
        return new PubSubTopic(this, topic);
    }

    /// <summary>Sets the topic's validator; messages are forwarded only after it accepts them.</summary>
    void RegisterValidator(string topic, MessageValidator validator);

    IReadOnlyList<TopicView> Topics();

    IReadOnlyList<PeerInfoView> Peers();

    double GetScore(PeerId peer);
}
