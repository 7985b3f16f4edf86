using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>A validated pubsub message as the application sees it.</summary>
public sealed record PubsubMessage(
    string Topic,
    ReadOnlyMemory<byte> Data,
    PeerId? From,
    ulong SequenceNumber,
    MessageId Id,
    PeerId? ReceivedFrom);
