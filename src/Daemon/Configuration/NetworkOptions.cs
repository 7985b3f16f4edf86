namespace P2P.Daemon.Configuration;

/// <summary>The libp2p host (section <c>Network</c>).</summary>
public sealed class NetworkOptions : IValidatableOptions
{
    public static readonly IReadOnlyList<string> DefaultListenAddresses = ["/ip4/0.0.0.0/tcp/4001"];

    /// <summary>Multiaddrs to listen on; empty means <see cref="DefaultListenAddresses"/>.</summary>
    /// <remarks>A list binds by appending, so the default is applied after binding rather than as an initial value.</remarks>
    public List<string> ListenAddresses { get; set; } = [];

    /// <summary>Multiaddrs with a <c>/p2p/&lt;peer id&gt;</c> component, dialled at start-up.</summary>
    public List<string> BootstrapPeers { get; set; } = [];

    public IReadOnlyList<string> EffectiveListenAddresses => ListenAddresses.Count > 0 ? ListenAddresses : DefaultListenAddresses;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        for (var i = 0; i < ListenAddresses.Count; i++)
        {
            if (!LooksLikeMultiaddr(ListenAddresses[i])) yield return new($"ListenAddresses:{i}", $"'{ListenAddresses[i]}' is not a multiaddr (e.g. /ip4/127.0.0.1/tcp/4001)");
        }
        for (var i = 0; i < BootstrapPeers.Count; i++)
        {
            if (!LooksLikeMultiaddr(BootstrapPeers[i]) || !BootstrapPeers[i].Contains("/p2p/", StringComparison.Ordinal))
                yield return new($"BootstrapPeers:{i}", $"'{BootstrapPeers[i]}' is not a multiaddr ending in /p2p/<peer id>");
        }
    }

    // Full multiaddr parsing belongs to P2P.Networking; this catches typos early with a config-level message.
    private static bool LooksLikeMultiaddr(string text)
    {
        var parts = text.Split('/');
        return parts.Length >= 3 && parts[0].Length == 0 && parts.Skip(1).All(p => p.Length > 0);
    }
}
