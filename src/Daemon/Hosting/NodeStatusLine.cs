using System.Globalization;
using P2P.Daemon.Chain;
using P2P.Networking.Host;

namespace P2P.Daemon.Hosting;

/// <summary>The one-line node summary systemd shows in <c>systemctl status</c>: peers, head or sync progress, hash rate.</summary>
public static class NodeStatusLine
{
    public static string Describe(Libp2pHost host, ChainNode? chain)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"peers {host.ConnectedPeers.Count}");
        if (chain is null) return line + ", no chain configured";
        var head = chain.State.Head;
        var progress = chain.Sync.Progress;
        line += progress.IsSyncing
            ? string.Create(CultureInfo.InvariantCulture, $", syncing {progress.Fraction:P0} (height {progress.CurrentHeight} of {progress.TargetHeight})")
            : string.Create(CultureInfo.InvariantCulture, $", head {head.Height} ({Convert.ToHexStringLower(head.Hash)[..12]})");
        if (chain.Miner?.Stats() is { Running: true } mining)
            line += string.Create(CultureInfo.InvariantCulture, $", mining {mining.HashesPerSecond:F0} H/s");
        return line;
    }
}
