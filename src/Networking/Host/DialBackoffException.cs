using P2P.Networking.Identity;

namespace P2P.Networking.Host;

/// <summary>A dial was refused because earlier dials to the peer failed recently.</summary>
public sealed class DialBackoffException(PeerId peer, TimeSpan remaining)
    : Exception($"dial to {peer} backed off for another {remaining.TotalSeconds:F1} s")
{
    public PeerId Peer { get; } = peer;
}
