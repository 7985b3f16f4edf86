namespace P2P.Networking.Identity.Protos;

/// <summary>The generated libp2p <c>PublicKey</c> message, decoded through <see cref="KeyMessage"/>.</summary>
public sealed partial class PublicKey : IKeyMessage;
