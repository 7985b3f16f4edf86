using P2P.Networking.Identity;

namespace P2P.Networking.Core;

/// <summary>Conveniences over <see cref="IP2PHost"/>.</summary>
public static class HostExtensions
{
    public static Task<IStream> OpenStreamAsync(this IP2PHost host, PeerId peer, string protocol, CancellationToken cancellationToken = default) =>
        host.OpenStreamAsync(peer, [protocol], cancellationToken);

    public static Task<IStream> OpenStreamAsync(this IConnection connection, string protocol, CancellationToken cancellationToken = default) =>
        connection.OpenStreamAsync([protocol], cancellationToken);
}
