using Microsoft.Extensions.Logging;
using P2P.Consensus.Encoding;
using P2P.Networking.Core;

namespace P2P.Daemon.Chain;

/// <summary>Bans (and so disconnects) every peer whose identify agent announces another chain id, and logs it.</summary>
public sealed class ChainPeerGuard(IP2PHost host, IPeerReputation reputation, byte[] chainId, ILogger<ChainPeerGuard> logger) : IDisposable
{
    public static readonly TimeSpan BanDuration = TimeSpan.FromMinutes(10);
    private readonly string _chainId = Hashing.Hex(chainId);
    private long _refused;

    public long Refused => Interlocked.Read(ref _refused);

    public void Start() => host.PeerIdentified += OnIdentified;

    private void OnIdentified(IdentifyInfo info)
    {
        var theirs = ChainAgent.ChainIdOf(info.AgentVersion);
        if (theirs is null || theirs == _chainId) return;
        Interlocked.Increment(ref _refused);
        logger.LogWarning("refusing peer {Peer}: it follows chain {Theirs}, this node {Ours} ({Agent})", info.Peer, theirs[..Math.Min(12, theirs.Length)], _chainId[..12], info.AgentVersion);
        _ = reputation.BanAsync(info.Peer, BanDuration, "another chain id");
    }

    public void Dispose() => host.PeerIdentified -= OnIdentified;
}
