using P2P.Consensus.Encoding;

namespace P2P.Daemon.Chain;

/// <summary>
/// The chain id in identify's agent version: <c>p2pd/&lt;version&gt; chain/&lt;chain id hex&gt;</c>. Peers announcing
/// another chain are refused (<see cref="ChainPeerGuard"/>); agents without the tag (other libp2p software) are not.
/// </summary>
public static class ChainAgent
{
    public const string Tag = "chain/";

    public static string Suffix(byte[] chainId) => " " + Tag + Hashing.Hex(chainId);

    /// <summary>The chain id an agent string announces, or null when it announces none.</summary>
    public static string? ChainIdOf(string? agentVersion)
    {
        if (agentVersion is null) return null;
        foreach (var part in agentVersion.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith(Tag, StringComparison.Ordinal)) return part[Tag.Length..].ToLowerInvariant();
        }
        return null;
    }
}
