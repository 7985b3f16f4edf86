using P2P.Networking.Identity;

namespace P2P.Networking.Core;

/// <summary>A connection to or from a banned peer was refused.</summary>
public sealed class PeerBannedException(PeerId peer, DateTimeOffset until)
    : IOException($"{peer} is banned until {until:u}")
{
    public PeerId Peer { get; } = peer;

    public DateTimeOffset Until { get; } = until;
}
