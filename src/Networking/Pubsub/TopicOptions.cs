namespace P2P.Networking.Pubsub;

/// <summary>Everything a service sets on a topic when it joins it: validator, message size limit and score parameters.</summary>
public sealed record TopicOptions
{
    /// <summary>Messages are delivered and forwarded only after it accepts them; null accepts every well-signed message.</summary>
    public MessageValidator? Validator { get; init; }

    /// <summary>Largest payload published or accepted on the topic; null keeps the router-wide default.</summary>
    public int? MaxMessageSize { get; init; }

    /// <summary>Score parameters P1–P4 of the topic; null leaves the topic unscored.</summary>
    public TopicScoreParams? Score { get; init; }
}
