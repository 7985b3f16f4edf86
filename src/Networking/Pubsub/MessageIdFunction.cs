using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>Computes the id of a (signature-checked) wire message.</summary>
public delegate MessageId MessageIdFunction(Message message);
