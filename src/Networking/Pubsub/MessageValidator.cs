namespace P2P.Networking.Pubsub;

/// <summary>Validates a received message before it is delivered or forwarded.</summary>
public delegate ValueTask<ValidationResult> MessageValidator(PubsubMessage message, CancellationToken cancellationToken);
