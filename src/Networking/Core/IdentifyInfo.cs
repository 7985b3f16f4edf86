using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Core;

/// <summary>What a peer told us about itself through identify (or identify push).</summary>
public sealed record IdentifyInfo(
    PeerId Peer,
    PublicKey PublicKey,
    IReadOnlyList<Multiaddr> ListenAddresses,
    IReadOnlyList<string> Protocols,
    Multiaddr? ObservedAddress,
    string ProtocolVersion,
    string AgentVersion);
