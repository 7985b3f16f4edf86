namespace P2P.Networking.Pubsub;

/// <summary>The id of a published message and the number of peers it was sent to.</summary>
public sealed record PublishResult(MessageId Id, int Peers);
